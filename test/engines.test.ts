// A clean install on the Node the README promises: no installed package may require a newer
// Node (npm prints EBADENGINE and the package may use APIs that Node lacks). Reads the
// package.json of every package the lockfile installs.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
// semver ships no types; npm's own range rules are what EBADENGINE uses.
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** The Node version the README names ("Requires Node.js ≥ 20.19"), which must be package.json's engines too. */
function promisedNode(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const stated = /Requires Node\.js ≥ (\d+\.\d+)/.exec(readme)?.[1];
  if (!stated) throw new Error('README.md no longer says which Node it requires');
  return `${stated}.0`;
}

/** Installed packages whose `engines.node` excludes `version`, as `name@version requires range`. */
function excluding(version: string, packages: Iterable<[string, string | undefined]>): string[] {
  const out: string[] = [];
  for (const [name, range] of packages) if (range !== undefined && !semver.satisfies(version, range)) out.push(`${name} requires node ${range}`);
  return out;
}

function installedEngines(): [string, string | undefined][] {
  const lock = readJson(path.join(root, 'package-lock.json')) as { packages: Record<string, unknown> };
  const out: [string, string | undefined][] = [];
  for (const key of Object.keys(lock.packages)) {
    if (!key.startsWith('node_modules/')) continue;
    const file = path.join(root, key, 'package.json');
    // Optional packages for other platforms (e.g. another OS's esbuild binary) are not installed.
    if (!existsSync(file)) continue;
    const pkg = readJson(file) as { name?: string; version?: string; engines?: { node?: unknown } };
    const range = typeof pkg.engines?.node === 'string' ? pkg.engines.node : undefined;
    out.push([`${pkg.name}@${pkg.version}`, range]);
  }
  return out;
}

describe('engines', () => {
  it('package.json promises the Node version the README names', () => {
    const engines = (readJson(path.join(root, 'package.json')) as { engines: { node: string } }).engines.node;
    expect(semver.minVersion(engines)?.version).toBe(promisedNode());
  });

  it('every installed package runs on the oldest Node the README promises', () => {
    const packages = installedEngines();
    expect(packages.length).toBeGreaterThan(300);
    expect(excluding(promisedNode(), packages)).toEqual([]);
  });

  it('flags a package that needs a newer Node (docx’s nanoid 6 before the override)', () => {
    expect(excluding('20.19.0', [['nanoid@6.0.2', '^22 || ^24 || >=26'], ['nanoid@5.1.6', '^18 || >=20']])).toEqual([
      'nanoid@6.0.2 requires node ^22 || ^24 || >=26',
    ]);
  });
});
