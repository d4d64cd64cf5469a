// What a checkpoint signs, byte for byte, and how its signature is made and checked (Ed25519, node:crypto).
import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from '../../domain/transaction';

/*
 * A checkpoint pins the heads of the chains that moved since the one before it: for each such
 * transaction, the sequence and hash of its last entry at signing time. The signed bytes are the
 * canonical JSON (keys sorted, no spaces) of
 *   { version: 1, number, createdAt, previousDigest, heads: [{ transactionId, sequence, hash }] }
 * with heads sorted by transactionId; `digest` is their SHA-256 (hex) and `signature` their
 * Ed25519 signature (base64). Each checkpoint names the digest of the one before it (null for
 * number 1), so they form a chain of their own: none can be left out or reordered unseen.
 *
 * Verifying is exact: rebuild the bytes from the stored fields, check the digest and the
 * signature with the public key, then look up each head in today's chains. A chain whose entries
 * are intact (audit:verify's own checks) and whose entry at a signed sequence has the signed hash
 * cannot have been changed up to there, since every hash covers all the entries before it.
 */

export interface SignedHead {
  readonly transactionId: string;
  readonly sequence: number;
  readonly hash: string;
}

export interface CheckpointContent {
  readonly number: number;
  readonly createdAt: Date;
  readonly previousDigest: string | null;
  readonly heads: readonly SignedHead[];
}

export interface SignedCheckpoint extends CheckpointContent {
  readonly digest: string;
  readonly signature: string;
  readonly keyId: string;
}

export const CHECKPOINT_VERSION = 1;

/** The exact text that is hashed and signed. */
export function checkpointDocument(content: CheckpointContent): string {
  const heads = [...content.heads]
    .sort((a, b) => (a.transactionId < b.transactionId ? -1 : a.transactionId > b.transactionId ? 1 : 0))
    .map(({ transactionId, sequence, hash }) => ({ transactionId, sequence, hash }));
  return canonicalJson({ version: CHECKPOINT_VERSION, number: content.number, createdAt: content.createdAt.toISOString(), previousDigest: content.previousDigest, heads });
}

/** The key's id: SHA-256 (hex) of its public key in DER (SubjectPublicKeyInfo), the same from the private or the public key. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function signCheckpoint(content: CheckpointContent, privateKey: KeyObject): SignedCheckpoint {
  const document = Buffer.from(checkpointDocument(content), 'utf8');
  return {
    ...content,
    digest: createHash('sha256').update(document).digest('hex'),
    signature: sign(null, document, privateKey).toString('base64'),
    keyId: keyIdOf(privateKey),
  };
}

/** Why the stored checkpoint does not verify with `publicKey`, or null when it does. */
export function checkpointSignatureProblem(checkpoint: SignedCheckpoint, publicKey: KeyObject): string | null {
  const document = Buffer.from(checkpointDocument(checkpoint), 'utf8');
  if (createHash('sha256').update(document).digest('hex') !== checkpoint.digest) return 'its digest is not the SHA-256 of its content: a field was changed after signing';
  let valid = false;
  try {
    valid = verify(null, document, publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    valid = false;
  }
  if (valid) return null;
  return checkpoint.keyId === keyIdOf(publicKey)
    ? 'its signature does not verify: the checkpoint was changed after signing'
    : `its signature does not verify with this public key (it names key ${checkpoint.keyId.slice(0, 16)}…, the key given is ${keyIdOf(publicKey).slice(0, 16)}…)`;
}
