import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rewriteManifest } from '../addin/excel/scripts/manifest-base.ts';

const root = resolve(import.meta.dirname, '..');
const schema = resolve(root, 'addin/manifest-xsd/OfficeAppManifestV1_1.xsd');

function xmllint(file: string): { status: number | null; output: string } {
  const r = spawnSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('manifest.xml', () => {
  it('validates offline against the Office add-in manifest schemas', () => {
    const r = xmllint(resolve(root, 'manifest.xml'));
    expect(r.output).toContain('validates');
    expect(r.status).toBe(0);
  });

  it('is rejected by the schema when Permissions has a value Office does not know (the check can fail)', () => {
    const broken = readFileSync(resolve(root, 'manifest.xml'), 'utf8').replace(
      '<Permissions>ReadWriteDocument</Permissions>',
      '<Permissions>WriteEverything</Permissions>',
    );
    const file = join(mkdtempSync(join(tmpdir(), 'kaohe-manifest-')), 'manifest.xml');
    writeFileSync(file, broken);
    expect(xmllint(file).status).not.toBe(0);
  });

  it('requires ExcelApi 1.7, asks for ReadWriteDocument, is zh-CN by default, and has a 64 × 64 high-resolution icon', () => {
    const xml = readFileSync(resolve(root, 'manifest.xml'), 'utf8');
    expect(xml).toContain('<Set Name="ExcelApi" MinVersion="1.7"/>');
    expect(xml).toContain('<Permissions>ReadWriteDocument</Permissions>');
    expect(xml).toContain('<DefaultLocale>zh-CN</DefaultLocale>');
    expect(xml).toMatch(/<DisplayName DefaultValue="考核填报">/);
    expect(xml).toContain('<HighResolutionIconUrl DefaultValue="https://localhost:3000/assets/icon-64.png"/>');
    for (const size of [16, 32, 64, 80]) {
      const png = readFileSync(resolve(root, `addin/assets/icon-${size}.png`));
      // PNG IHDR: width and height at bytes 16..24.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    expect(execFileSync('xmllint', ['--xpath', 'count(//*[local-name()="OfficeTab"][@id="TabHome"])', resolve(root, 'manifest.xml')], { encoding: 'utf8' }).trim()).toBe('1');
  });

  it('points every URL at ADDIN_BASE_URL for a production build and stays valid', () => {
    const xml = rewriteManifest(readFileSync(resolve(root, 'manifest.xml'), 'utf8'), 'https://kaohe.example.gov.cn/addin');
    expect(xml).not.toContain('localhost');
    expect(xml).toContain('<SourceLocation DefaultValue="https://kaohe.example.gov.cn/addin/taskpane.html"/>');
    expect(xml).toContain('<AppDomain>https://kaohe.example.gov.cn</AppDomain>');
    const file = join(mkdtempSync(join(tmpdir(), 'kaohe-manifest-')), 'manifest.xml');
    writeFileSync(file, xml);
    expect(xmllint(file).status).toBe(0);
  });
});
