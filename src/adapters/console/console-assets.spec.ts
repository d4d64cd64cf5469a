import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleAssets, DEFAULT_CONSOLE_DIR } from './console-assets';

describe('ConsoleAssets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-assets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves only the known kinds of file found at start, each with its type and a validator of its bytes', () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'app.js'), 'export {};');
    writeFileSync(join(dir, 'notes.md'), 'not served');
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    mkdirSync(join(dir, 'nested.js'));

    const assets = ConsoleAssets.load(dir);

    expect(assets.names().sort()).toEqual(['app.js', 'index.html']);
    expect(assets.get('app.js')).toMatchObject({ contentType: 'text/javascript; charset=utf-8', body: Buffer.from('export {};') });
    expect(assets.get('index.html')!.etag).toMatch(/^"[\w-]{27}"$/);
    expect(assets.get('index.html')!.etag).not.toBe(assets.get('app.js')!.etag);
    expect(assets.get('../package.json')).toBeUndefined();
  });

  it('refuses to start without the console, naming where it looked', () => {
    expect(() => ConsoleAssets.load(join(dir, 'absent'))).toThrow(/review console's files are missing: cannot read .*absent/);
    writeFileSync(join(dir, 'app.js'), '');
    expect(() => ConsoleAssets.load(dir)).toThrow(/no index\.html/);
  });

  it('finds the shipped console from the source tree', () => {
    expect(ConsoleAssets.load(DEFAULT_CONSOLE_DIR).names()).toEqual(expect.arrayContaining(['index.html', 'app.js', 'console.css']));
  });
});
