#!/usr/bin/env python3
"""Build the README demo inputs in testdata/demo/ (deterministic; run from the repo root).

- demo-app.docker.tar: a small docker archive (`docker save` layout) of three layers:
  1. a Debian 12 base: etc/os-release -> ../usr/lib/os-release, a dpkg status with 4 packages;
  2. gzip-compressed: three pip packages in site-packages and an npm app (lockfile v3 plus
     node_modules);
  3. a whiteout deleting urllib3's dist-info, as `pip uninstall` in a later RUN leaves it.
- osv/: OSV records for the demo. Ids, aliases, affected ranges and CVSS vectors are those of
  the public advisories (GitHub Advisory Database, PyPA); the summaries are our own words.

Package names and versions are real Debian, PyPI and npm releases. Nothing here is fetched.
"""
import gzip
import hashlib
import io
import json
import os
import tarfile

MTIME = 1700000000
OUT = os.path.join("testdata", "demo")


def tar_bytes(entries):
    """entries: list of (name, kind, payload) with kind in file|dir|symlink."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind, payload in entries:
            info = tarfile.TarInfo(name)
            info.mtime = MTIME
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                t.addfile(info)
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = payload
                info.mode = 0o777
                t.addfile(info)
            else:
                data = payload.encode() if isinstance(payload, str) else payload
                info.size = len(data)
                info.mode = 0o644
                t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def dirs_for(paths):
    out = set()
    for p in paths:
        parts = p.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            out.add("/".join(parts[:i]))
    return sorted(out)


def layer(files):
    """files: dict path -> str content, or ('symlink', target)."""
    entries = [(d + "/", "dir", None) for d in dirs_for(files)]
    for path in sorted(files):
        v = files[path]
        if isinstance(v, tuple):
            entries.append((path, "symlink", v[1]))
        else:
            entries.append((path, "file", v))
    entries.sort(key=lambda e: e[0].rstrip("/"))
    return tar_bytes(entries)


def dpkg_stanza(pkg, version, arch, source=None, status="install ok installed"):
    lines = [f"Package: {pkg}", f"Status: {status}", "Priority: optional", "Section: libs",
             "Installed-Size: 100", "Maintainer: Debian Maintainers <debian@example.invalid>",
             f"Architecture: {arch}"]
    if source:
        lines.append(f"Source: {source}")
    lines += [f"Version: {version}", "Description: demo stanza", " Written for the sbom-gen demo image."]
    return "\n".join(lines) + "\n"


def metadata(name, version, license_=None):
    s = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: demo\n"
    if license_:
        s += f"License: {license_}\n"
    return s + "\nLong description body.\nVersion: 0.0.1 (inside the body: not a header)\n"


OS_RELEASE = """PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
"""

STATUS = "\n".join([
    dpkg_stanza("base-files", "12.4+deb12u15", "amd64"),
    dpkg_stanza("libssl3", "3.0.20-1~deb12u2", "amd64", source="openssl"),
    dpkg_stanza("bash", "5.2.15-2+b13", "amd64", source="bash (5.2.15-2)"),
    dpkg_stanza("zlib1g", "1:1.2.13.dfsg-1", "amd64", source="zlib"),
    dpkg_stanza("removed-pkg", "1.0-1", "amd64", status="deinstall ok config-files"),
])

SP = "usr/local/lib/python3.11/site-packages"

LOCK = {
    "name": "demo-app", "lockfileVersion": 3, "requires": True,
    "packages": {
        "": {"name": "demo-app", "dependencies": {"lodash": "4.17.15", "minimist": "1.2.0"}},
        "node_modules/lodash": {"version": "4.17.15", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz", "license": "MIT"},
        "node_modules/minimist": {"version": "1.2.0", "resolved": "https://registry.npmjs.org/minimist/-/minimist-1.2.0.tgz", "license": "MIT"},
    },
}


def main():
    os.makedirs(OUT, exist_ok=True)
    l1 = layer({
        "etc/os-release": ("symlink", "../usr/lib/os-release"),
        "usr/lib/os-release": OS_RELEASE,
        "var/lib/dpkg/status": STATUS,
    })
    l2 = layer({
        f"{SP}/PyYAML-5.3.1.dist-info/METADATA": metadata("PyYAML", "5.3.1", "MIT"),
        f"{SP}/requests-2.25.1.dist-info/METADATA": metadata("requests", "2.25.1", "Apache 2.0"),
        f"{SP}/urllib3-1.26.5.dist-info/METADATA": metadata("urllib3", "1.26.5", "MIT"),
        "app/package.json": json.dumps({"name": "demo-app", "dependencies": {"lodash": "4.17.15", "minimist": "1.2.0"}}, indent=2) + "\n",
        "app/package-lock.json": json.dumps(LOCK, indent=2) + "\n",
        "app/node_modules/lodash/package.json": json.dumps({"name": "lodash", "version": "4.17.15", "license": "MIT"}, indent=2) + "\n",
        "app/node_modules/minimist/package.json": json.dumps({"name": "minimist", "version": "1.2.0", "license": "MIT"}, indent=2) + "\n",
    })
    l3 = layer({f"{SP}/.wh.urllib3-1.26.5.dist-info": ""})
    layers = [l1, l2, l3]
    diff_ids = ["sha256:" + hashlib.sha256(x).hexdigest() for x in layers]
    blobs = [l1, gzip.compress(l2, mtime=0), l3]
    config = {
        "architecture": "amd64", "os": "linux", "created": "2023-11-14T22:13:20Z",
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": ["node", "app/index.js"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [
            {"created": "2023-11-14T22:13:20Z", "created_by": "demo base (debian 12, trimmed)"},
            {"created": "2023-11-14T22:13:20Z", "created_by": "ENV PATH=...", "empty_layer": True},
            {"created": "2023-11-14T22:13:20Z", "created_by": "RUN pip install PyYAML==5.3.1 requests==2.25.1 urllib3==1.26.5 && npm ci"},
            {"created": "2023-11-14T22:13:20Z", "created_by": "RUN pip uninstall -y urllib3"},
        ],
    }
    cfg = json.dumps(config, sort_keys=True).encode()
    cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
    names = [hashlib.sha256(b).hexdigest() + ".tar" for b in blobs]
    manifest = json.dumps([{"Config": cfg_name, "RepoTags": ["demo-app:1.0"], "Layers": names}]).encode()
    members = [(cfg_name, cfg)] + list(zip(names, blobs)) + [("manifest.json", manifest)]
    outer = io.BytesIO()
    with tarfile.open(fileobj=outer, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.mtime = MTIME
            info.size = len(data)
            info.mode = 0o644
            t.addfile(info, io.BytesIO(data))
    with open(os.path.join(OUT, "demo-app.docker.tar"), "wb") as f:
        f.write(outer.getvalue())

    osv_dir = os.path.join(OUT, "osv")
    os.makedirs(osv_dir, exist_ok=True)
    for rec in ADVISORIES:
        with open(os.path.join(osv_dir, rec["id"] + ".json"), "w") as f:
            json.dump(rec, f, indent=2)
            f.write("\n")


def adv(id_, aliases, summary, eco, name, ranges, vector=None, modified="2024-06-21T00:00:00Z"):
    rec = {"schema_version": "1.6.0", "id": id_, "modified": modified, "aliases": aliases, "summary": summary,
           "affected": [{"package": {"ecosystem": eco, "name": name},
                         "ranges": [{"type": "ECOSYSTEM", "events": ev} for ev in ranges]}]}
    if vector:
        rec["severity"] = [{"type": "CVSS_V3", "score": vector}]
    return rec


ADVISORIES = [
    adv("GHSA-8q59-q68h-6hv4", ["CVE-2020-14343"], "PyYAML full_load can run arbitrary code from untrusted YAML",
        "PyPI", "PyYAML", [[{"introduced": "0"}, {"fixed": "5.4"}]], "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
    adv("PYSEC-2021-142", ["CVE-2020-14343", "GHSA-8q59-q68h-6hv4"], "PyYAML full_load can run arbitrary code from untrusted YAML",
        "PyPI", "pyyaml", [[{"introduced": "0"}, {"fixed": "5.4"}]]),
    adv("GHSA-j8r2-6x86-q33q", ["CVE-2023-32681"], "requests leaks Proxy-Authorization headers on HTTPS redirects",
        "PyPI", "requests", [[{"introduced": "2.3.0"}, {"fixed": "2.31.0"}]], "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N"),
    adv("GHSA-9wx4-h78v-vm56", ["CVE-2024-35195"], "requests Session keeps verify=False for later requests to the same host",
        "PyPI", "requests", [[{"introduced": "0"}, {"fixed": "2.32.0"}]], "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:N"),
    adv("GHSA-35jh-r3h4-6jhm", ["CVE-2021-23337"], "lodash template allows command injection",
        "npm", "lodash", [[{"introduced": "0"}, {"fixed": "4.17.21"}]], "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"),
    adv("GHSA-p6mc-m468-83gw", ["CVE-2020-8203"], "lodash zipObjectDeep prototype pollution",
        "npm", "lodash", [[{"introduced": "3.7.0"}, {"fixed": "4.17.19"}]], "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H"),
    adv("GHSA-xvch-5gv4-984h", ["CVE-2021-44906"], "minimist prototype pollution through constructor keys",
        "npm", "minimist", [[{"introduced": "0"}, {"fixed": "0.2.4"}], [{"introduced": "1.0.0"}, {"fixed": "1.2.6"}]],
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
    adv("GHSA-vh95-rmgr-6w4m", ["CVE-2020-7598"], "minimist prototype pollution through __proto__ keys",
        "npm", "minimist", [[{"introduced": "0"}, {"fixed": "0.2.1"}], [{"introduced": "1.0.0"}, {"fixed": "1.2.3"}]],
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L"),
    adv("GHSA-v845-jxx5-vc9f", ["CVE-2023-43804"], "urllib3 forwards Cookie headers on cross-origin redirects (not in the demo image: deleted in layer 3)",
        "PyPI", "urllib3", [[{"introduced": "0"}, {"fixed": "1.26.17"}]]),
]

if __name__ == "__main__":
    main()
