/** What makes an SBOM reproducible: both default to now and a random UUID. */
export interface SbomOptions {
  /** When the SBOM was made (CycloneDX `metadata.timestamp`, SPDX `creationInfo.created`). */
  timestamp?: Date
  /**
   * `urn:uuid:<uuid>` (or a bare UUID): the CycloneDX serial number, and the unique part of the
   * SPDX document namespace.
   */
  serialNumber?: string
}
