// The review console's static files (console/ at the project root), read once at start and served from memory.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

export interface ConsoleAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** Strong validator over the bytes, so that a browser revalidates cheaply and never keeps a stale file. */
  readonly etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Same depth under src/ (tests, swc-jest) and dist/ (npm start, the image): both resolve to the
 * project root's console/ folder, which the Dockerfile copies beside dist/.
 */
export const DEFAULT_CONSOLE_DIR = join(__dirname, '..', '..', '..', 'console');

/**
 * Only the flat list of files present at start can ever be served: a request names one of them
 * exactly, so no path a client sends is ever joined onto the file system.
 */
export class ConsoleAssets {
  private constructor(private readonly files: ReadonlyMap<string, ConsoleAsset>) {}

  static load(dir: string = DEFAULT_CONSOLE_DIR): ConsoleAssets {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      throw new Error(`the review console's files are missing: cannot read ${dir} (${(error as Error).message})`);
    }
    const files = new Map<string, ConsoleAsset>();
    for (const name of names) {
      const contentType = CONTENT_TYPES[extname(name)];
      const path = join(dir, name);
      if (!contentType || !statSync(path).isFile()) continue;
      const body = readFileSync(path);
      files.set(name, { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
    }
    if (!files.has('index.html')) throw new Error(`the review console's files are missing: no index.html in ${dir}`);
    return new ConsoleAssets(files);
  }

  get(name: string): ConsoleAsset | undefined {
    return this.files.get(name);
  }

  names(): string[] {
    return [...this.files.keys()];
  }
}
