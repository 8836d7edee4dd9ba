#!/usr/bin/env python3
"""Compare sbom-gen's SBOMs of the shared test images with their expected.json, per package type.

    python3 scripts/accuracy.py [path/to/sbom-gen]     # prints a Markdown report

A package counts as found when the SBOM has the same (type, name, version); PyPI names are
compared PEP 503-normalised, npm names with their scope. Optional packages are counted apart.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
from urllib.parse import unquote

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("SBOM_SHARED_DIR", os.path.join(HERE, "..", "..", "shared"))
GEN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "target", "release", "sbom-gen")


def pep503(n):
    return re.sub(r"[-_.]+", "-", n).lower()


def key(ty, name, version):
    return (ty, pep503(name) if ty == "pypi" else name, version)


def purl_key(purl):
    body = purl[4:].split("?")[0].split("#")[0]
    ty, rest = body.split("/", 1)
    path, _, version = rest.rpartition("@")
    parts = [unquote(p) for p in path.split("/")]
    if ty == "npm":
        name = "/".join(parts)
    elif ty == "maven":
        name = parts[-1]
    elif ty == "golang":
        name = "/".join(parts)
    else:
        name = parts[-1]
    return key(ty, name, unquote(version))


def components(doc):
    out = []
    stack = list(doc.get("components", []))
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(c.get("components", []))
    return out


def main():
    exp = json.load(open(os.path.join(SHARED, "testdata", "images", "expected.json")))
    print("| image | type | required found | optional found | extra |")
    print("|---|---|---:|---:|---:|")
    for image, spec in exp["images"].items():
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "sbom.json")
            src = os.path.join(SHARED, "testdata", "images", image + ".oci.tar")
            subprocess.run([GEN, src, "-q", "-o", "cyclonedx-json=" + out], check=True)
            doc = json.load(open(out))
        got = {}
        for c in components(doc):
            if "purl" in c:
                k = purl_key(c["purl"])
                got.setdefault(k[0], set()).add(k)
        types = sorted({p["type"] for p in spec["packages"]} | set(got))
        for ty in types:
            req = {key(ty, p["name"], p["version"]) for p in spec["packages"] if p["type"] == ty and not p.get("optional")}
            opt = {key(ty, p["name"], p["version"]) for p in spec["packages"] if p["type"] == ty and p.get("optional")}
            have = got.get(ty, set())
            print(f"| {image} | {ty} | {len(req & have)}/{len(req)} | {len(opt & have)}/{len(opt)} | {len(have - req - opt)} |")


if __name__ == "__main__":
    main()
