// The manifest is written for https://localhost:3000/ (dev server); a production build points it
// at the host that serves dist/ (generator-office convention: ADDIN_BASE_URL).

export const DEV_BASE = 'https://localhost:3000/';

export function normaliseBase(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

/** Page URLs take the full base; <AppDomain> takes its origin. */
export function rewriteManifest(xml: string, base: string): string {
  const full = normaliseBase(base);
  return xml.split(DEV_BASE).join(full).split(DEV_BASE.slice(0, -1)).join(new URL(full).origin);
}
