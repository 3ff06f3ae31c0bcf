#!/usr/bin/env python3
"""Writes the .docx test documents of the importer into the directory given as argument.

The files are written part by part (zipfile + the XML Word writes), not through python-docx, so
that each numbering feature the importer must rebuild is there exactly once and on purpose:
numFmt chineseCounting, chineseCountingThousand, ideographDigital and decimal, lvlText patterns
("%1、", "（%2）", "%1.%2"), w:start, w:startOverride, w:lvlRestart, numbering through a heading
paragraph style (styles.xml), values above 10 and 100, and a table with a merged cell.

    python3 tests/data/importer/make_docx.py OUTDIR

The output is deterministic (fixed timestamps), so the tests may compare exact text.
"""
import os
import sys
import zipfile
from xml.sax.saxutils import escape

W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'

CONTENT_TYPES = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>'''

ROOT_RELS = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>'''

DOC_RELS = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
</Relationships>'''


def lvl(ilvl, fmt, text, start=1, restart=None, pstyle=None, suff=None):
    extra = ''
    if restart is not None:
        extra += f'<w:lvlRestart w:val="{restart}"/>'
    if pstyle:
        extra += f'<w:pStyle w:val="{pstyle}"/>'
    if suff:
        extra += f'<w:suff w:val="{suff}"/>'
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'{extra}<w:lvlText w:val="{escape(text)}"/><w:lvlJc w:val="left"/></w:lvl>')


def abstract(aid, levels):
    return f'<w:abstractNum w:abstractNumId="{aid}">{"".join(levels)}</w:abstractNum>'


def num(nid, aid, overrides=None):
    body = f'<w:abstractNumId w:val="{aid}"/>'
    for ilvl, start in (overrides or {}).items():
        body += f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
    return f'<w:num w:numId="{nid}">{body}</w:num>'


def numbering(abstracts, nums):
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering xmlns:w="{W}">'
            + ''.join(abstracts) + ''.join(nums) + '</w:numbering>')


def styles(extra=''):
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W}">'
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
            + extra + '</w:styles>')


def heading_style(sid, name, level, num_id=None, ilvl=None):
    numpr = ''
    if num_id is not None:
        numpr = f'<w:numPr><w:numId w:val="{num_id}"/>'
        if ilvl is not None:
            numpr += f'<w:ilvl w:val="{ilvl}"/>'
        numpr += '</w:numPr>'
    return (f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="Normal"/><w:pPr>{numpr}<w:outlineLvl w:val="{level - 1}"/></w:pPr></w:style>')


def para(text, num_id=None, ilvl=0, style=None, runs=None):
    ppr = ''
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num_id is not None:
        ppr += f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ppr = f'<w:pPr>{ppr}</w:pPr>' if ppr else ''
    if runs is None:
        runs = [text]
    body = ''.join(f'<w:r><w:t xml:space="preserve">{escape(r)}</w:t></w:r>' for r in runs)
    return f'<w:p>{ppr}{body}</w:p>'


def cell(text, merge=None, num_id=None):
    tcpr = f'<w:tcPr><w:vMerge w:val="{merge}"/></w:tcPr>' if merge == 'restart' else (
        '<w:tcPr><w:vMerge/></w:tcPr>' if merge == 'continue' else '')
    return f'<w:tc>{tcpr}{para(text, num_id=num_id)}</w:tc>'


def table(rows):
    return '<w:tbl>' + ''.join('<w:tr>' + ''.join(r) + '</w:tr>' for r in rows) + '</w:tbl>'


def document(body):
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{"".join(body)}'
            '<w:sectPr/></w:body></w:document>')


def write(path, document_xml, styles_xml, numbering_xml):
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in [('[Content_Types].xml', CONTENT_TYPES), ('_rels/.rels', ROOT_RELS),
                           ('word/_rels/document.xml.rels', DOC_RELS),
                           ('word/document.xml', document_xml), ('word/styles.xml', styles_xml),
                           ('word/numbering.xml', numbering_xml)]:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode('utf-8'))


def formats_docx(path):
    """One list per format, each with values 9..11 and 99..101, plus start and restart rules."""
    fmts = [('chineseCounting', '%1、'), ('chineseCountingThousand', '（%1）'),
            ('ideographDigital', '%1、'), ('decimal', '%1.')]
    abstracts, nums, body = [], [], []
    nid = 1
    for aid, (fmt, text) in enumerate(fmts):
        for start in (9, 99):
            abstracts.append(abstract(f'{aid}{start}', [lvl(0, fmt, text, start=start)]))
            nums.append(num(nid, f'{aid}{start}'))
            body.append(para(f'{fmt} 从 {start} 起'))
            for k in range(3):
                body.append(para(f'项{k + 1}', num_id=nid))
            nid += 1
    # Two levels "%1.%2": level 2 restarts after level 1 by default; a third level with
    # lvlRestart 0 never restarts. A second list over the same abstract numbering continues it;
    # a third with a startOverride restarts at 5.
    abstracts.append(abstract('90', [lvl(0, 'decimal', '%1.'), lvl(1, 'decimal', '%1.%2'),
                                     lvl(2, 'decimal', '(%3)', restart=0)]))
    nums += [num(90, '90'), num(91, '90'), num(92, '90', {0: 5})]
    body.append(para('多级编号'))
    body += [para('甲', num_id=90, ilvl=0), para('甲一', num_id=90, ilvl=1),
             para('甲二', num_id=90, ilvl=1), para('甲丙', num_id=90, ilvl=2),
             para('乙', num_id=90, ilvl=0), para('乙一', num_id=90, ilvl=1),
             para('乙丙', num_id=90, ilvl=2),
             para('丙', num_id=91, ilvl=0),
             para('丁', num_id=92, ilvl=0)]
    write(path, document(body), styles(), numbering(abstracts, nums))


def review_docx(path):
    """A review report whose headings are numbered through the heading style and whose areas
    run past （十）, with inline enumerations, causes and measures."""
    abstracts = [
        abstract('0', [lvl(0, 'chineseCounting', '%1、', pstyle='Heading1', suff='nothing')]),
        abstract('1', [lvl(0, 'chineseCountingThousand', '（%1）', suff='nothing')]),
        abstract('2', [lvl(0, 'decimal', '%1.')]),
    ]
    nums = [num(1, '0'), num(2, '1'), num(3, '2'), num(4, '2', {0: 1})]
    st = styles(heading_style('Heading1', 'heading 1', 1, num_id=1))
    body = [para('机关党支部组织生活会检视剖析材料'),
            para('基本情况', style='Heading1'),
            para('按照要求，支部认真开展了对照检查。'),
            para('存在的问题和不足', style='Heading1')]
    areas = ['学习', '作风', '纪律', '组织生活', '联系群众', '调查研究', '制度执行', '意识形态',
             '廉政建设', '队伍建设', '宣传工作', '安全生产']
    for name in areas:
        body.append(para(f'在{name}方面。一是{name}工作计划不够细；二是{name}工作落实不够。',
                         num_id=2))
    body.append(para('问题根源剖析', style='Heading1'))
    body += [para('理论武装不够强。学习不够系统。', num_id=3),
             para('宗旨意识不够牢。服务群众不够主动。', num_id=3)]
    body.append(para('整改措施', style='Heading1'))
    body += [para(f'细化{name}工作计划，抓好{name}工作落实。', num_id=4) for name in areas]
    write(path, document(body), st, numbering(abstracts, nums))


def table_docx(path):
    """A rectification ledger as a Word table; 序号 is auto-numbered and one problem cell is
    merged over two rows that carry two measures."""
    abstracts = [abstract('0', [lvl(0, 'decimal', '%1')])]
    nums = [num(1, '0')]
    header = [cell(t) for t in ('序号', '问题', '整改措施', '责任单位', '完成时限')]
    rows = [header,
            [cell('', num_id=1), cell('理论学习不够深入系统'), cell('制定年度学习计划，每月集中学习一次'),
             cell('党委办公室'), cell('2026-12-31')],
            [cell('', num_id=1), cell('三会一课质量不高', merge='restart'),
             cell('规范组织生活，支部书记每季度讲党课'), cell('机关党委'), cell('2026年11月30日')],
            [cell(''), cell('', merge='continue'), cell('建立组织生活纪实台账'), cell(''), cell('')],
            [cell('', num_id=1), cell('基层调研次数偏少'), cell('领导班子成员每季度到基层调研不少于两次'),
             cell('办公室'), cell('2026/10/31')]]
    body = [para('巡察反馈问题整改清单'), table(rows)]
    write(path, document(body), styles(), numbering(abstracts, nums))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    formats_docx(os.path.join(out, 'numbering-formats.docx'))
    review_docx(os.path.join(out, 'review-numbered.docx'))
    table_docx(os.path.join(out, 'ledger-table.docx'))


if __name__ == '__main__':
    main()
