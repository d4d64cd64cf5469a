// Port to the database schema's state, for readiness: a replica whose migrations are not all applied is not ready.
export abstract class SchemaStatus {
  /** True when every migration this build knows is applied. */
  abstract isUpToDate(): Promise<boolean>;
}
