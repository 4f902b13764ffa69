"""PDF files for tests: a clean one from pypdf, and hand-assembled ones byte by byte."""

from __future__ import annotations

import io
import zlib

from pypdf import PdfWriter


def clean_pdf(title: str = "Granskningsrapport") -> bytes:
    """A one-page PDF as an office program would save it: nothing active in it."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    return written(writer)


def written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def assemble(objects: list[bytes]) -> bytes:
    """A PDF with `objects` as objects 1..n (object 1 the catalog) and a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def assemble_packed(plain: list[bytes], packed: list[bytes], *, list_packed: bool = True) -> bytes:
    """A PDF 1.5 file: `plain` objects 1..k as text, `packed` ones k+1.. in a compressed
    object stream, found through a cross-reference stream (unless `list_packed` is False:
    then the packed objects are in the file but no cross-reference names them)."""
    first_packed = len(plain) + 1
    stream_number = first_packed + len(packed)
    xref_number = stream_number + 1
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    rows: dict[int, tuple[int, int, int]] = {0: (0, 0, 65535)}
    for number, body in enumerate(plain, start=1):
        rows[number] = (1, len(out), 0)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    header, data = b"", b""
    for index, body in enumerate(packed):
        header += b"%d %d " % (first_packed + index, len(data))
        data += body + b"\n"
        if list_packed:
            rows[first_packed + index] = (2, stream_number, index)
    packed_data = zlib.compress(header + data)
    rows[stream_number] = (1, len(out), 0)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        stream_number,
        len(packed),
        len(header),
        len(packed_data),
    )
    out += b"stream\n" + packed_data + b"\nendstream\nendobj\n"
    rows[xref_number] = (1, len(out), 0)
    table = b"".join(
        bytes([kind]) + field.to_bytes(4, "big") + extra.to_bytes(2, "big")
        for kind, field, extra in (rows.get(n, (0, 0, 0)) for n in range(xref_number + 1))
    )
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\n" % (
        xref_number,
        xref_number + 1,
        len(table),
    )
    out += b"stream\n" + table + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % rows[xref_number][1]
    return bytes(out)
