// Built-ins newer than ES2017 that the pane's bundle calls (core/, zod, yaml): esbuild lowers
// syntax to ES2017 but not library functions, and the Chromium inside an older WPS may predate
// them (Array.prototype.flatMap: Chrome 69, Object.fromEntries: 73, Array.prototype.at: 92,
// Object.hasOwn: 93). Imported first by the WPS entry; each is added only where missing.
// The e2e run (test/e2e/wps.ts) deletes these built-ins from a page before the pane starts.

type Callback<T, U> = (value: T, index: number, array: T[]) => U | readonly U[];

function define(target: object, name: string, value: unknown): void {
  if (!(name in target)) Object.defineProperty(target, name, { value, writable: true, configurable: true });
}

define(globalThis, 'globalThis', globalThis);

define(Array.prototype, 'flatMap', function flatMap<T, U>(this: T[], callback: Callback<T, U>, thisArg?: unknown): U[] {
  const out: U[] = [];
  for (let i = 0; i < this.length; i++) {
    const mapped = callback.call(thisArg, this[i]!, i, this);
    if (Array.isArray(mapped)) out.push(...(mapped as U[]));
    else out.push(mapped as U);
  }
  return out;
});

define(Object, 'fromEntries', function fromEntries(entries: Iterable<readonly [PropertyKey, unknown]>): Record<PropertyKey, unknown> {
  const out: Record<PropertyKey, unknown> = {};
  for (const [key, value] of entries) out[key] = value;
  return out;
});

function at<T>(this: ArrayLike<T>, index: number): T | undefined {
  const i = Math.trunc(index) || 0;
  const k = i < 0 ? this.length + i : i;
  return k < 0 || k >= this.length ? undefined : this[k];
}
define(Array.prototype, 'at', at);
define(String.prototype, 'at', function (this: string, index: number): string | undefined {
  return at.call(this, index) as string | undefined;
});

define(Object, 'hasOwn', function hasOwn(object: object, key: PropertyKey): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
});
