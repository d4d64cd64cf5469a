// What the audit exports show, declared once: the stores return it, the use cases pass it on, HTTP answers it as JSON.
export type ChainEntryKind = 'DECISION' | 'NOTE' | 'ATTACHMENT';

export interface ChainEntryView {
  readonly sequence: number;
  readonly kind: ChainEntryKind;
  readonly at: Date;
  readonly prevHash: string;
  readonly hash: string;
}

export interface ChainProblemView {
  readonly kind: string;
  readonly message: string;
  readonly sequence: number | null;
}

/** The last signed checkpoint that holds this chain's head, and whether the chain still holds it. */
export interface ChainCheckpointView {
  readonly number: number;
  readonly createdAt: Date;
  readonly sequence: number;
  readonly hash: string;
  readonly digest: string;
  readonly signature: string;
  readonly keyId: string;
  /** True when today's chain has that hash at that sequence. */
  readonly held: boolean;
}

export interface ChainVerification {
  readonly entries: readonly ChainEntryView[];
  readonly intact: boolean;
  readonly problems: readonly ChainProblemView[];
  readonly checkpoint: ChainCheckpointView | null;
}

export interface CheckpointHeadView {
  readonly transactionId: string;
  readonly sequence: number;
  readonly hash: string;
}

/** A checkpoint as stored and exported: enough to verify it away from the database. */
export interface CheckpointView {
  readonly version: number;
  readonly number: number;
  readonly createdAt: Date;
  readonly previousDigest: string | null;
  readonly heads: readonly CheckpointHeadView[];
  readonly digest: string;
  /** Ed25519, base64, over the canonical JSON of version, number, createdAt, previousDigest and heads. */
  readonly signature: string;
  /** SHA-256 (hex) of the signing key's public key (DER SubjectPublicKeyInfo). */
  readonly keyId: string;
}
