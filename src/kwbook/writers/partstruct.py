"""The parts' structure trees (tagged screen PDF) joined into the merged book's one tree, for writers/partmerge.py.

Each tagged part has a StructTreeRoot whose Document element holds the part's content, and a ParentTree that
maps its pages' /StructParents and its annotations' /StructParent keys to structure elements. The merge keeps
the first part's root and Document element; every later part's Document kids are copied after the part's pages
(so their /Pg and OBJR references land on the merged pages and annotations, not on copies), appended in
reading order, and its ParentTree keys shifted past the keys already used, on the pages and annotations too.
Element IDs (table headers) get the part's number as prefix, as each part numbers its own; RoleMap, ClassMap
and IDTree entries are carried over. Content streams are not touched (MCIDs are per page).
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, String


def number_tree(node) -> list[tuple[int, object]]:
    """(key, value) of every entry of a number tree (flat /Nums or /Kids), in key order."""
    found: list[tuple[int, object]] = []
    nums = node.get("/Nums")
    if nums is not None:
        found += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
    for kid in node.get("/Kids") or []:
        found += number_tree(kid)
    return sorted(found, key=lambda item: item[0])


def _name_tree(node) -> list[tuple[object, object]]:
    found = []
    names = node.get("/Names")
    if names is not None:
        found += [(names[i], names[i + 1]) for i in range(0, len(names) - 1, 2)]
    for kid in node.get("/Kids") or []:
        found += _name_tree(kid)
    return found


def tagged(pdf: pikepdf.Pdf) -> bool:
    return "/StructTreeRoot" in pdf.Root


class StructMerger:
    """Collects every part's structure into the structure tree of out (the first part's document)."""

    def __init__(self, out: pikepdf.Pdf):
        self.out = out
        self.root = out.Root.StructTreeRoot
        self.document = self._document(self.root)
        self.nums = number_tree(self.root.ParentTree) if "/ParentTree" in self.root else []
        self.ids = _name_tree(self.root.IDTree) if "/IDTree" in self.root else []
        self.next_key = max((key for key, _ in self.nums), default=-1) + 1
        self.parts = 0  # parts joined so far after the first

    @staticmethod
    def _document(root) -> Dictionary:
        kids = root.get("/K")
        kids = list(kids) if isinstance(kids, Array) else [kids] if kids is not None else []
        if len(kids) != 1 or kids[0].get("/S") != "/Document":
            raise ValueError("a tagged part's structure tree has no single Document element")
        return kids[0]

    def add(self, src: pikepdf.Pdf, first_page: int) -> None:
        """Join src's structure; its pages were appended to out as out.pages[first_page:first_page + len(src.pages)]."""
        out, shift = self.out, self.next_key
        root = out.copy_foreign(src.Root.StructTreeRoot)  # pages and annotations map onto the appended ones
        document = self._document(root)
        kids = document.get("/K")
        kids = list(kids) if isinstance(kids, Array) else [kids] if kids is not None else []
        target = self.document.get("/K")
        if not isinstance(target, Array):
            target = self.document.K = Array([] if target is None else [target])
        self.parts += 1
        for kid in kids:
            if isinstance(kid, Dictionary) and "/S" in kid:
                kid.P = self.document
                self._rename_ids(kid, f"{self.parts}.")
            target.append(kid)
        entries = number_tree(root.ParentTree) if "/ParentTree" in root else []
        # WeasyPrint's margin-box elements (running heads, folios) name the Document as their parent without being
        # among its kids: they too are moved to the merged Document, so the part's own root is left behind
        visited = {document.objgen}
        for _, value in entries:
            for elem in (value if isinstance(value, Array) else [value]):
                while isinstance(elem, Dictionary) and "/P" in elem and elem.objgen not in visited:
                    visited.add(elem.objgen)
                    if elem.P.objgen == document.objgen:
                        elem.P = self.document
                        break
                    elem = elem.P
        self.nums += [(key + shift, value) for key, value in entries]
        if entries:
            self.next_key = max(self.next_key, entries[-1][0] + shift + 1)
        for page in out.pages[first_page:first_page + len(src.pages)]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + shift
            for annot in page.obj.get("/Annots") or []:
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + shift
        for key in ("/RoleMap", "/ClassMap"):
            if key in root:
                mine = self.root.get(key)
                if mine is None:
                    mine = self.root[key] = Dictionary()
                for name, value in root[key].items():
                    if name not in mine:
                        mine[name] = value
        if "/IDTree" in root:
            self.ids += [(String(f"{self.parts}." + str(name)), elem) for name, elem in _name_tree(root.IDTree)]

    @staticmethod
    def _rename_ids(top: Dictionary, prefix: str) -> None:
        """Prefix a part's element IDs (and the table cells' /Headers naming them): each part numbers its own."""
        stack = [top]
        while stack:
            elem = stack.pop()
            if "/ID" in elem:
                elem.ID = String(prefix + str(elem.ID))
            attributes = elem.get("/A")
            for attr in (attributes if isinstance(attributes, Array) else [attributes] if attributes is not None else []):
                if isinstance(attr, Dictionary) and "/Headers" in attr:
                    attr.Headers = Array([String(prefix + str(h)) for h in attr.Headers])
            kids = elem.get("/K")
            for kid in (kids if isinstance(kids, Array) else [kids] if kids is not None else []):
                if isinstance(kid, Dictionary) and "/S" in kid:
                    stack.append(kid)

    def finish(self) -> None:
        """Write the joined ParentTree (and IDTree) with the renumbered keys."""
        nums = Array()
        for key, value in sorted(self.nums, key=lambda item: item[0]):
            nums.append(key)
            nums.append(value)
        self.root.ParentTree = self.out.make_indirect(Dictionary(Nums=nums))
        self.root.ParentTreeNextKey = self.next_key
        if self.ids:
            names = Array()
            for name, value in sorted(self.ids, key=lambda item: bytes(item[0])):
                names.append(name)
                names.append(value)
            self.root.IDTree = self.out.make_indirect(Dictionary(Names=names))
        self.out.Root.MarkInfo = Dictionary(Marked=True)
