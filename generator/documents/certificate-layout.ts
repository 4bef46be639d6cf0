// The 荣誉证书 layout profile: a large spaced title a third down the page, the 主送 line as the
// awardee's name, roomier body lines, the 落款 lower, a page border, no page numbers. Blocks a
// certificate has no way of its own for (a page break, a table in a user's template) are laid
// out as in a 公文, off the grid like the rest of the certificate.
import { AlignmentType, BorderStyle, LineRuleType, PageBorderDisplay, PageBorderOffsetFrom } from 'docx';
import { chineseDate } from '../../core/calendar.ts';
import { FONTS, plain, run, runsOf, STYLES, type LayoutProfile, type ProfileOptions } from './docx-kit.ts';
import { officialProfile } from './official-layout.ts';

/** 荣誉证书 measures, in half-points and twips. */
const CERTIFICATE = {
  color: 'C00000',
  titleSize: 80, // 40 pt
  /** One character of space between the title's characters. */
  titleSpacing: 400,
  /** Puts the title's baseline about a third of the way down the A4 page. */
  titleBefore: 2600,
  titleLine: 1100,
  titleAfter: 900,
  nameSize: 44, // 2号
  textSize: 36, // 小二: the citation reads from arm's length
  line: 720,
  signatureBefore: 2 * 720,
  /** Page border, drawn 24 pt in from the paper's edge. */
  border: { style: BorderStyle.DOUBLE, size: 18, color: 'C00000', space: 24 },
} as const;

const spacing = { line: CERTIFICATE.line, lineRule: LineRuleType.EXACT };

export function certificateProfile(options: ProfileOptions): LayoutProfile {
  const edge = CERTIFICATE.border;
  return {
    visitors: {
      ...officialProfile(options).visitors,
      title: (block, flow) => {
        // Spacing between characters but not after the last, so the title stays centred.
        const chars = [...plain(block.spans).replace(/\s+/g, '')];
        const style = { font: FONTS.title, size: CERTIFICATE.titleSize, color: CERTIFICATE.color };
        flow.push(
          flow.paragraph({
            children: chars.map((ch, i) =>
              run(ch, { ...style, characterSpacing: i < chars.length - 1 ? CERTIFICATE.titleSpacing : 0 }),
            ),
            alignment: AlignmentType.CENTER,
            spacing: {
              line: CERTIFICATE.titleLine,
              lineRule: LineRuleType.EXACT,
              before: CERTIFICATE.titleBefore,
              after: CERTIFICATE.titleAfter,
            },
          }),
        );
      },
      addressee: (block, flow) =>
        flow.push(
          flow.paragraph({
            children: [run(block.text, { font: FONTS.heading2, size: CERTIFICATE.nameSize, characterSpacing: 0 })],
            alignment: AlignmentType.LEFT,
            spacing: { ...spacing, after: CERTIFICATE.line / 2 },
          }),
        ),
      paragraph: (block, flow) =>
        flow.push(
          flow.body(runsOf(block.spans, { size: CERTIFICATE.textSize }), {
            spacing,
            indent: { firstLine: 2 * CERTIFICATE.textSize * 10 },
          }),
        ),
      signature: (block, flow) => {
        const line = (text: string, before: number) =>
          flow.paragraph({
            children: [run(text, { size: CERTIFICATE.textSize })],
            alignment: AlignmentType.RIGHT,
            indent: { right: 2 * CERTIFICATE.textSize * 10 },
            spacing: { ...spacing, before },
            keepNext: true,
          });
        flow.push(line(block.organ, CERTIFICATE.signatureBefore));
        flow.push(line(chineseDate(block.date), 0));
      },
    },
    paragraphStyle: STYLES.offGrid,
    pageNumbers: false,
    borders: {
      pageBorders: { display: PageBorderDisplay.ALL_PAGES, offsetFrom: PageBorderOffsetFrom.PAGE },
      pageBorderTop: edge,
      pageBorderRight: edge,
      pageBorderBottom: edge,
      pageBorderLeft: edge,
    },
  };
}
