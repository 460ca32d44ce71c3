//! The words and ids of records: attributes drawn from a record's number, and the lists
//! names, kinds and outlets are picked from.

/// A uniform draw in [0, 1) from a record's number: attributes of a record (its kind,
/// its outlet) follow from its id, so a duplicate repeats them.
pub(super) fn attr(id: u64, salt: u64) -> f64 {
    let mut z = id.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// The entry of `list` at the share `u` of its length.
pub(super) fn pick<'s>(list: &[&'s str], u: f64) -> &'s str {
    list[((u * list.len() as f64) as usize).min(list.len() - 1)]
}

/// An 18-character unified social credit code: 91, the division, MA, 8 characters.
pub(super) fn credit_code(area: u32, id: u64) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut s = format!("91{area:06}MA");
    for k in 0..8 {
        s.push(CHARS[(attr(id, 10 + k) * CHARS.len() as f64) as usize] as char);
    }
    s
}

pub(super) const COURSES: &[&str] = &[
    "区块链原理与技术",
    "区块链金融",
    "分布式账本技术",
    "智能合约开发",
    "密码学与区块链",
    "Blockchain Fundamentals",
    "区块链应用设计",
    "数字货币与金融科技",
];

pub(super) const INSTITUTES: &[(&str, &str)] = &[
    ("区块链研究院", "institute"),
    ("区块链技术实验室", "lab"),
    ("分布式账本重点实验室", "lab"),
    ("数字经济研究中心", "centre"),
    ("金融科技研究院", "institute"),
    ("区块链应用创新中心", "centre"),
];

pub(super) const SERVICES: &[&str] = &[
    "供应链金融平台",
    "电子存证服务",
    "商品溯源平台",
    "跨境支付服务",
    "数字身份服务",
    "司法存证平台",
    "版权保护平台",
    "政务数据共享平台",
    "BaaS 服务平台",
];

pub(super) const SECTORS: &[&str] = &[
    "finance",
    "supply chain",
    "government services",
    "judicial",
    "healthcare",
    "energy",
    "logistics",
    "agriculture",
];

pub(super) const OUTLETS: &[&str] = &[
    "新华网",
    "人民网",
    "中国证券报",
    "21世纪经济报道",
    "澎湃新闻",
    "财新网",
    "第一财经",
    "China Daily",
    "Reuters",
    "South China Morning Post",
];

pub(super) const ACCOUNTS: &[&str] = &[
    "区块链观察",
    "链上周报",
    "数字经济研究",
    "金融科技前沿",
    "产业区块链",
    "城市科技报道",
    "Crypto Daily CN",
    "政策解读",
    "科技园区动态",
    "创投日报",
];

pub(super) const POLICIES: &[&str] = &[
    "关于加快区块链产业发展的若干措施",
    "区块链技术应用行动计划",
    "关于推动区块链技术和产业创新发展的实施意见",
    "数字经济发展规划",
    "区块链产业园区扶持办法",
    "关于支持区块链企业发展的通知",
];

pub(super) const PILOT_AREAS: &[&str] = &[
    "government services",
    "supply chain finance",
    "judicial evidence",
    "healthcare",
    "energy",
    "agricultural traceability",
    "cross-border trade",
];

pub(super) const PARKS: &[&str] = &[
    "区块链产业园",
    "数字经济产业园",
    "区块链创新中心",
    "链谷",
    "区块链小镇",
    "区块链孵化基地",
];
