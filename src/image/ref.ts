/**
 * Image references in the transports skopeo and podman use (containers-transports(5)).
 * `parseImageRef` is implemented in this file; this header fixes the shape every source reads.
 */

/** A docker reference: `registry.example:5000/team/app:1.2@sha256:…`, normalised with Docker's defaults. */
export interface DockerReference {
  /** Registry host with optional port; `docker.io` when none is given. */
  registry: string
  /** Repository path; `library/` is prefixed for single-segment Docker Hub names. */
  repository: string
  /** Tag; `latest` when neither tag nor digest is given. */
  tag?: string
  digest?: string
  /** The familiar short form, as `docker images` shows it (`busybox:latest`, `localhost:5000/app:1`). */
  familiar: string
}

export type ImageRef =
  /** Bare `name:tag`: the local engine first, then the registry (only when pulling is allowed). */
  | { transport: 'auto'; input: string; reference: DockerReference }
  | { transport: 'docker-daemon'; input: string; reference: DockerReference }
  | { transport: 'docker'; input: string; reference: DockerReference }
  /** `docker-archive:path[:reference]`: a `docker save` tar (legacy layout or OCI layout). */
  | { transport: 'docker-archive'; input: string; path: string; reference?: DockerReference }
  /** `oci-archive:path[:tag]`: a tar of an OCI image layout. */
  | { transport: 'oci-archive'; input: string; path: string; tag?: string }
  /** `oci:dir[:tag]`: an OCI image layout directory. */
  | { transport: 'oci'; input: string; path: string; tag?: string }
