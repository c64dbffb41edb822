/**
 * The label on every container, network and volume imgtest creates, so cleanup and
 * `imgtest prune` find exactly imgtest's leftovers and nothing of the user's.
 */
export const OWNER_LABEL = 'dev.imgtest.owner'
