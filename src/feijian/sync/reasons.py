"""Reason codes: every rejection of a package names one code and, where there is one, the member.

The codes are stable (tests and the bureau's scripts match on them); the messages are for people.
"""

from __future__ import annotations

from feijian.domain.errors import FeijianError

REASONS: dict[str, str] = {
    # container
    "NOT_A_ZIP": "不是 ZIP 文件或已截断 / not a ZIP file or truncated",
    "PACKAGE_TOO_LARGE": "包过大 / package too large",
    "TOO_MANY_MEMBERS": "成员过多 / too many members",
    "ZIP_UNSUPPORTED": "不支持的 ZIP 特性 / unsupported ZIP feature",
    "DATA_OUTSIDE_MEMBERS": "成员之外有多余数据 / data outside the members",
    "OVERLAPPING_MEMBERS": "成员相互重叠 / overlapping members",
    "HEADER_MISMATCH": "本地头与中央目录不一致 / local header differs from the central directory",
    # names
    "PATH_TRAVERSAL": "路径穿越 / path traversal in a member name",
    "ABSOLUTE_NAME": "绝对路径 / absolute member name",
    "BACKSLASH_IN_NAME": "名称含反斜杠 / backslash in a member name",
    "BAD_NAME": "不允许的成员名称 / member name not allowed",
    "DUPLICATE_NAME": "重复的成员名称 / duplicate member name",
    "SYMLINK": "符号链接成员 / symbolic link member",
    "SPECIAL_MEMBER": "目录或特殊文件成员 / directory or special file member",
    "ENCRYPTED_MEMBER": "ZIP 加密成员 / ZIP-encrypted member",
    "UNSUPPORTED_METHOD": "不支持的压缩方法 / unsupported compression method",
    # sizes
    "MEMBER_TOO_LARGE": "成员过大 / member too large",
    "ZIP_BOMB": "压缩比异常（压缩炸弹） / compression ratio too high (zip bomb)",
    "SIZE_MISMATCH": "成员大小与声明不符 / member size differs from its declared size",
    "CRC_MISMATCH": "CRC 校验失败 / CRC mismatch",
    "NESTED_ARCHIVE": "包内嵌套压缩包 / nested archive",
    # signature
    "SUMS_MISSING": "缺少 SHA256SUMS / SHA256SUMS missing",
    "SIG_MISSING": "缺少签名 / signature missing",
    "SIG_MALFORMED": "签名格式错误 / malformed signature",
    "SIGNER_UNKNOWN": "签名者不在局方信任名单 / signer not enrolled in the bureau trust list",
    "SIG_INVALID": "签名无效 / invalid signature",
    "SUMS_MALFORMED": "SHA256SUMS 格式错误 / malformed SHA256SUMS",
    "MEMBER_MISSING": "缺少成员 / member missing",
    "MEMBER_EXTRA": "多出未签名的成员 / extra member not covered by the signature",
    "HASH_MISMATCH": "哈希不符 / SHA-256 mismatch",
    # manifest
    "MANIFEST_MISSING": "缺少清单 / manifest missing",
    "NOT_CANONICAL_JSON": "JSON 非规范形式 / JSON not in canonical form",
    "MANIFEST_INVALID": "清单内容无效 / invalid manifest",
    "SIGNER_MISMATCH": "清单签名者与签名密钥不符 / manifest signer is not the key that signed",
    "ROLE_MISMATCH": "签名者角色不符 / signer's role does not allow this package kind",
    "WRONG_RECIPIENT": "包不是发给本接收方的 / package addressed to another recipient",
    "WRONG_CASE": "包属于其他案件 / package belongs to another case",
    "COUNT_MISMATCH": "清单计数与内容不符 / manifest counts differ from the contents",
    "EVENT_INVALID": "事件损坏或不属于本案 / damaged event or event of another case",
    "SOURCE_INVALID": "内嵌的检查员包无效 / embedded inspector package invalid",
    "DECRYPT_FAILED": "无法解密成员 / cannot decrypt member",
    # freshness
    "REPLAY": "包已导入过（重放） / package already imported (replay)",
    "ROLLBACK": "序号回退（回滚） / sequence number went back (rollback)",
    "CHAIN_GAP": "序号跳号 / sequence gap",
    "CHAIN_FORK": "上一包哈希不符（分叉） / previous package hash differs (fork)",
    "SIGNER_REVOKED": "签名者已被吊销 / signer revoked",
    "AUDIT_ROLLBACK": "审计日志头回退 / audit-log head went back",
}


class Rejected(FeijianError):
    """A package that failed verification: ``code`` (see :data:`REASONS`) and the ``member`` concerned."""

    exit_code = 5

    def __init__(self, code: str, member: str = "", detail: str = "") -> None:
        if code not in REASONS:
            raise ValueError(f"unknown reason code {code}")
        self.code = code
        self.member = member
        self.detail = detail
        text = f"{code}: {REASONS[code]}"
        if member:
            text += f" [{member}]"
        if detail:
            text += f" — {detail}"
        super().__init__(text)
