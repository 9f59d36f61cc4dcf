"""The seal digests and chain links are pinned: databases in use hold seals made by earlier
versions, so any speed-up of ``models.seals`` must give byte-identical values (docs/design.md,
Tamper evidence). The expected values were computed by the code before it was made faster."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from models import seals

KEY = bytes(range(32))

# (table, row id, values as either database returns them, digest, chain after this row)
PINNED = [
    ("event", 1, (7, "register", None, "received", 3, "2025-03-03 09:00:00",
                  "2025-03-03 09:00:00", "", '{"a": 1}'),
     "88916a9bb17fd3b0af03504e0413fd33deec81a9e4123cfcbb8f1d6f340f50b9",
     "a65294409f467f47728da45bf64caa221397ae62f68388964f41b0e3a2c1be86"),
    ("event", 123456, (42, "note", "investigating", "investigating", 5,
                       datetime(2025, 3, 3, 9, 0, 1), datetime(2025, 3, 3, 9, 0, 1, 250000),
                       "客户说：\"好\"\n\t\\ \u2028 😀", '{"who": "张三"}'),
     "14f50a7230f6453c275cd9d8e3e378b9ace43a4de56456b68c577dfb77725029",
     "8052abcc98307da221f084ebdd4f8e733e4bbde28cc86e841d8c083f408da029"),
    ("penalty_entry", 9, (1, 2, "维修部", None, Decimal("30.00"), 12.5, "态度", 4, None, None, 3,
                          date(2025, 1, 2), None),
     "c8ffd1fd1e4042c9bc69641a6748da45fa8b01109671504165e5b6428dcba713",
     "23d11ab9575f5d2a89b8b9ff8b6bd5ccec50d9e01b5c461bc99ec7aacc1532bd"),
    ("penalty_entry", 10, (1, 2, "", 3, 30.0, Decimal("0.10"), "x", None, 8, 9, 3,
                           datetime(2025, 1, 2, 3, 4, 5), 9),
     "2978512bf222f4c48c535560b749d653bb3f06654599283b0012a61766fc6b1c",
     "a7556e3c488561bc8c25ca0afe348e9fc8c69d1ea5c4194abb3cad07bdba162b"),
    ("user", 3, ("han", "张处理", "handler,head", None, True, "scrypt$abc"),
     "e0f91ec1d4d2a50e56cc09742c5efd14d9e5b0d2847b14702f455e1654dde632",
     "8d3d2d6748a39408ccc8a007bcb0b6a036add0b1ea25194fac88b0abcf4f5f4c"),
    ("user", 4, ("li", "李", "owner", 2, False, ""),
     "8755b8e57588729da333fa953f30f6ea9ccdf8e9531d1628675b79d6fe30181d",
     "1c8fe8cca3552e96c61775fc9e9d1a61c1f808cfd4e792137d0a07797083b394"),
    ("attachment", 5, (1, 2, "a b.pdf", 1024, "ff" * 32, "application/pdf", 3,
                       "2025-03-03 09:00:00"),
     "9042d35479e4a089da5ea948f913ba311b8bc2c804a1102480b049427391ba9e",
     "db8fb24fbb3063ac98b132422b8afd962c1fcec327f8bd407529906681fcca04"),
    ("complaint_access", 6, (1, 2, "handler"),
     "f87ccb94c6cef87824ece7f6eff75178ac4ea190f4105824548092fdcb72defb",
     "7d03091c87e3a0f8146b5a4099b597084b8cd11be8e7918ce8b7638a63e2d37c"),
    ("penalty_entry_event", 7, (1, "proposed", 2, "2025-03-03 09:00:00", 0.1, 1e20, "2025-03",
                                b"\x00\xff"),
     "f7498fa1fcc621644bcebe7e5975787977ebdcbba7ab5474a92b08dc161c229d",
     "b39d2857e00476085e8f38f6fc5b857332db59668ca32485c7a245cf8b7b3a43"),
    ("penalty_entry_event", 8, (1, "x", 2, None, Decimal("1E+2"), Decimal("-0.50"),
                                memoryview(b"ab"), 3.14159),
     "8d3c6ffb2206d0fcb410716c18c160ab813a8eb882c326067efc2c29c19b4d56",
     "632b1e0108c9372ce361330ca9dce2eb86efda3966966f4d56848fd5ee795cac"),
]


def test_digests_and_chain_links_are_unchanged():
    previous = "0" * 64
    for table, row_id, values, want_digest, want_chain in PINNED:
        got = seals.digest(table, row_id, values)
        assert got == want_digest, (table, row_id)
        previous = seals.chain_step(KEY, previous, table, row_id, got)
        assert previous == want_chain, (table, row_id)


def test_key_id_is_unchanged():
    assert seals.key_id(KEY) == "7c1b679e82705c8a8f892564d9b0f1fee79c9131927de8055a6f36618f2061bb"


def test_chain_step_is_hmac_sha256_for_any_key_length():
    import hashlib
    import hmac

    for key in (b"", b"k", KEY, bytes(64), bytes(range(65)), b"x" * 200):
        message = bytes.fromhex("ab" * 32) + b"event\x00" + b"42\x00" + bytes.fromhex("cd" * 32)
        want = hmac.new(key, message, hashlib.sha256).hexdigest()
        assert seals.chain_step(key, "ab" * 32, "event", 42, "cd" * 32) == want


def test_linking_many_gives_each_chain_step():
    items = [(table, row_id, want_digest, None)
             for table, row_id, _values, want_digest, _chain in PINNED]
    linked = seals.link(KEY, "0" * 64, items)
    assert [v[3] for v in linked] == [chain for *_rest, chain in PINNED]
