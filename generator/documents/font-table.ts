// word/fontTable.xml naming the GB fonts the layout asks for, each with the alternate Word and
// WPS fall back to when it is not installed (w:altName) and the panose/charset they match on.
// Panose numbers as the fonts themselves declare them (仿宋_GB2312, 楷体_GB2312, 黑体 and 宋体
// as shipped with Windows; 方正小标宋简体 from its OS/2 table); charset 86 is GB2312.

interface FontEntry {
  name: string;
  altName: string;
  panose: string;
  charset: string;
  family: 'modern' | 'roman' | 'swiss' | 'auto';
  pitch: 'fixed' | 'variable';
}

export const FONT_ENTRIES: readonly FontEntry[] = [
  { name: '仿宋_GB2312', altName: '仿宋', panose: '02010609030101010101', charset: '86', family: 'modern', pitch: 'fixed' },
  { name: '楷体_GB2312', altName: '楷体', panose: '02010609030101010101', charset: '86', family: 'modern', pitch: 'fixed' },
  { name: '方正小标宋简体', altName: '宋体', panose: '02000000000000000000', charset: '86', family: 'auto', pitch: 'variable' },
  { name: '黑体', altName: 'SimHei', panose: '02010609060101010101', charset: '86', family: 'modern', pitch: 'fixed' },
  { name: '宋体', altName: 'SimSun', panose: '02010600030101010101', charset: '86', family: 'auto', pitch: 'variable' },
  { name: 'Times New Roman', altName: 'Liberation Serif', panose: '02020603050405020304', charset: '00', family: 'roman', pitch: 'variable' },
];

const NAMESPACE = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export function fontTableXml(): string {
  const fonts = FONT_ENTRIES.map(
    (f) =>
      `<w:font w:name="${f.name}"><w:altName w:val="${f.altName}"/><w:panose1 w:val="${f.panose}"/>` +
      `<w:charset w:val="${f.charset}"/><w:family w:val="${f.family}"/><w:pitch w:val="${f.pitch}"/></w:font>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="${NAMESPACE}">${fonts}</w:fonts>`;
}
