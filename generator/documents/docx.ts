// Lays a DocumentTree out as a .docx per GB/T 9704-2012 (党政机关公文格式): A4, fixed margins,
// 3号仿宋 body on a 22 × 28 Word document grid, `— 1 —` page numbers on the outside edge. Each
// kind of document has its own layout profile, one visitor per block kind: the 公文's
// (official-layout.ts) and the 荣誉证书's (certificate-layout.ts).
import {
  AlignmentType,
  Document,
  DocumentGridType,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  SectionType,
  TextRun,
} from 'docx';
import { chineseDate } from '../../core/calendar.ts';
import { certificateProfile } from './certificate-layout.ts';
import {
  BODY_SIZE,
  cleanText,
  Flow,
  FONTS,
  GRID_CHAR_SPACE,
  GRID_SCALE,
  LINE_TWIPS,
  mmToTwip,
  PAGE,
  STYLES,
  visit,
  type LayoutProfile,
  type ProfileOptions,
} from './docx-kit.ts';
import { fontTableXml } from './font-table.ts';
import { colophonPage, officialProfile } from './official-layout.ts';
import { documentXmlChunks } from './table-xml.ts';
import { deflateChunks, zipParts, type DeflatedPart } from '../ooxml/zip.ts';
import type { DocumentTree } from './markdown.ts';

export { INDENT_CELL_TWIPS, mmToTwip, TEXT_WIDTH, type Figure } from './docx-kit.ts';
export { columnWidths } from './official-layout.ts';

/** The layout profile of each kind of document. */
export const PROFILES = {
  official: officialProfile,
  certificate: certificateProfile,
} as const satisfies Record<string, (options: ProfileOptions) => LayoutProfile>;

export interface RenderOptions extends ProfileOptions {
  title: string;
  /** The 公文 layout unless said otherwise. */
  profile?: keyof typeof PROFILES;
}

/** What docx cannot write into these styles' pPr, placed first as the schema orders it (before w:spacing). */
const TIGHT_PPR = '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/>';
const STYLE_PPR: Record<string, string> = {
  [STYLES.offGrid]: '<w:snapToGrid w:val="0"/>',
  [STYLES.tableText]: '<w:snapToGrid w:val="0"/>',
  [STYLES.signature]: TIGHT_PPR,
  [STYLES.docNumber]: TIGHT_PPR,
};

function styleProperties(stylesXml: string): string {
  return Object.entries(STYLE_PPR).reduce(
    (xml, [id, ppr]) => xml.replace(new RegExp(`(w:styleId="${id}">(?:(?!</w:style>).)*?<w:pPr>)`), `$1${ppr}`),
    stylesXml,
  );
}

const hairline = () => new Paragraph({ spacing: { line: 20, lineRule: LineRuleType.EXACT } });

function pageNumberFooter(alignment: 'left' | 'right'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        style: STYLES.offGrid,
        alignment: alignment === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        spacing: { line: 240, lineRule: LineRuleType.AUTO },
        indent: alignment === 'right' ? { right: 280 } : { left: 280 },
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            size: 28,
            font: { eastAsia: FONTS.pageNumber, ascii: FONTS.pageNumber, hAnsi: FONTS.pageNumber, hint: 'eastAsia' },
          }),
        ],
      }),
    ],
  });
}

export async function renderDocx(tree: DocumentTree, options: RenderOptions): Promise<Buffer> {
  const profile = PROFILES[options.profile ?? 'official'](options);
  const flow = new Flow(profile.paragraphStyle);
  for (const block of tree.blocks) visit(profile.visitors, block, flow);
  const page = {
    size: { width: PAGE.width, height: PAGE.height },
    margin: { ...PAGE.margin, header: mmToTwip(15), footer: PAGE.footer, gutter: 0 },
  };
  // Word's lines-and-characters grid, 22 lines of 28 cells, as the 公文 templates set it; text
  // on the grid is drawn at GRID_SCALE so LibreOffice too puts one character in each cell.
  const grid = { type: DocumentGridType.LINES_AND_CHARS, linePitch: LINE_TWIPS, charSpace: GRID_CHAR_SPACE };
  const colophon = flow.colophon;
  const blank = () => new Footer({ children: [new Paragraph({})] });
  const bodyFont = { eastAsia: FONTS.body, ascii: FONTS.latin, hAnsi: FONTS.latin, hint: 'eastAsia' };
  const document = new Document({
    title: cleanText(options.title),
    creator: 'Kaohe',
    evenAndOddHeaderAndFooters: true,
    // WPS reports theme fonts it lacks as missing, so the theme names the same fonts as the styles.
    theme: { fonts: { headings: { latin: FONTS.latin, eastAsia: FONTS.heading1 }, body: { latin: FONTS.latin, eastAsia: FONTS.body } } },
    styles: {
      paragraphStyles: [
        // LibreOffice sizes the grid's characters from Normal's font size, not the defaults'.
        { id: 'Normal', name: 'Normal', run: { font: bodyFont, size: BODY_SIZE, scale: GRID_SCALE }, paragraph: { spacing: { line: LINE_TWIPS, lineRule: LineRuleType.EXACT } } },
        { id: STYLES.offGrid, name: '不对齐网格', basedOn: 'Normal', run: { scale: 100 }, paragraph: { spacing: { line: LINE_TWIPS, lineRule: LineRuleType.EXACT } } },
        { id: STYLES.signature, name: '落款', basedOn: 'Normal', run: { scale: 100 }, paragraph: { spacing: { line: LINE_TWIPS, lineRule: LineRuleType.EXACT } } },
        { id: STYLES.docNumber, name: '发文字号', basedOn: 'Normal', run: { scale: 100 }, paragraph: { spacing: { line: LINE_TWIPS, lineRule: LineRuleType.EXACT } } },
        { id: STYLES.tableText, name: '表格文字', basedOn: 'Normal', run: { scale: 100 }, paragraph: { spacing: { line: 300, lineRule: LineRuleType.AUTO } } },
      ],
      default: {
        document: {
          run: { font: bodyFont, size: BODY_SIZE },
          paragraph: { spacing: { line: LINE_TWIPS, lineRule: LineRuleType.EXACT } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: { ...page, borders: profile.borders },
          grid,
        },
        footers:
          !profile.pageNumbers ? undefined : { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
        // The section's properties ride on its last paragraph, which must not be a table's
        // marker (documentXmlChunks replaces that whole paragraph): a hairline paragraph ends it.
        children: colophon || flow.children.length === 0 ? [...flow.children, hairline()] : flow.children,
      },
      // The 版记 is the last page and an even one (封四); 版记页 carries no page number (7.5).
      ...(colophon
        ? [
            {
              properties: { type: SectionType.EVEN_PAGE, page, grid },
              footers: { default: blank(), even: blank() },
              children: colophonPage(colophon.cc, colophon.printer, chineseDate(colophon.date)),
            },
          ]
        : []),
    ],
  });
  const parts: Map<string, string | Uint8Array | DeflatedPart> = packageParts(document);
  parts.set('word/document.xml', await deflateChunks(documentXmlChunks(String(parts.get('word/document.xml')), flow.tables)));
  parts.set('word/fontTable.xml', fontTableXml());
  parts.set('word/styles.xml', styleProperties(String(parts.get('word/styles.xml'))));
  const encoder = new TextEncoder();
  return zipParts([...parts].map(([path, data]) => [path, typeof data === 'string' ? encoder.encode(data) : data] as const));
}

/**
 * The package's parts as Packer would zip them, in its order. Packer.toBuffer zips them with
 * fflate, which renderDocx would have to unzip to put the tables in; docx does not export its
 * Compiler, but Packer holds one (test/documents-zip.test.ts holds the parts to Packer's).
 */
export function packageParts(document: Document): Map<string, string | Uint8Array> {
  const { compiler } = Packer as unknown as { compiler?: { compile(file: Document): Map<string, string | Uint8Array> } };
  if (!compiler) throw new Error('docx 的 Packer 没有 compiler（docx 版本不符）');
  return compiler.compile(document);
}
