// A version for lists whose files carry no publication date: the files' content digest.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function fileDigest(files: readonly (string | undefined)[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    if (!file) continue;
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}
