// Deterministic synthetic tenant generator (see generator.h).
//
// Determinism: every random decision comes from xoshiro256** streams seeded through
// splitmix64 from (seed, stream, index); no std::*_distribution, no floating point in any
// decision or output (Zipf weights use an integer fixed-point pow), no hash-container
// iteration. Customers are generated twice from their own stream (once for the customers
// section, once for the deliveries section), so nothing per customer is kept in memory
// except the not-interested events.
#include "tools/generator.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "core/time/calendar.h"

namespace rl {
namespace {

constexpr int64_t kDay = 86400;
constexpr int kTzMinutes = 480;
constexpr uint32_t kNoTag = 0xFFFFFFFFu;

// ---------------------------------------------------------------- PRNG

inline uint64_t mix64(uint64_t z) {  // splitmix64 finalizer: a bijection of uint64
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// 64x64 -> 128-bit product as (hi, lo); __int128 where the compiler has it, else 32-bit limbs
// (same result, so output does not depend on the target).
inline void mul128(uint64_t a, uint64_t b, uint64_t& hi, uint64_t& lo) {
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    const u128 p = static_cast<u128>(a) * b;
    hi = static_cast<uint64_t>(p >> 64);
    lo = static_cast<uint64_t>(p);
#else
    const uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
    const uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    const uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
    hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    lo = (mid << 32) | (p00 & 0xFFFFFFFFu);
#endif
}
inline uint64_t mul_hi(uint64_t a, uint64_t b) {
    uint64_t hi, lo;
    mul128(a, b, hi, lo);
    return hi;
}
// (a * b) >> 62 for Q62 fixed point, when the result fits in 64 bits.
inline uint64_t mul_q62(uint64_t a, uint64_t b) {
    uint64_t hi, lo;
    mul128(a, b, hi, lo);
    return (hi << 2) | (lo >> 62);
}

enum Stream : uint64_t {
    kStreamTenant = 1,
    kStreamEmployee = 2,
    kStreamTags = 3,
    kStreamEntCampaigns = 4,
    kStreamEmpCampaigns = 5,
    kStreamCustomer = 6,
    kStreamDelivery = 7,
    kStreamScheduled = 8,
    kStreamIds = 9,
    kStreamDrafts = 10,
    kStreamGroups = 11,
    kStreamGroupMembers = 12,
    kStreamWeeklyPush = 13,
};

class Rng {
public:
    Rng(uint64_t seed, uint64_t stream, uint64_t index) {
        uint64_t x = mix64(seed ^ mix64(stream * 0xD1B54A32D192ED03ull)) ^ mix64(index * 0x9E3779B97F4A7C15ull + stream);
        for (auto& v : s_) {
            x += 0x9E3779B97F4A7C15ull;
            v = mix64(x);
        }
    }
    uint64_t next() {
        const uint64_t r = rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return r;
    }
    // Uniform in [0, n) (Lemire's multiply-high; n > 0).
    uint64_t below(uint64_t n) { return mul_hi(next(), n); }
    int64_t range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1))); }
    bool ppm(uint32_t parts_per_million) { return below(1000000) < parts_per_million; }
    template <class T>
    const T& pick(const std::vector<T>& v) {
        return v[below(v.size())];
    }

private:
    uint64_t s_[4];
};

// Weighted choice over a cumulative table (last element = total weight).
size_t pick_cumulative(Rng& r, const std::vector<uint64_t>& cum) {
    uint64_t x = r.below(cum.back());
    return static_cast<size_t>(std::upper_bound(cum.begin(), cum.end(), x) - cum.begin());
}
std::vector<uint64_t> cumulative(const std::vector<uint64_t>& w) {
    std::vector<uint64_t> c(w.size());
    uint64_t s = 0;
    for (size_t i = 0; i < w.size(); ++i) c[i] = (s += w[i]);
    return c;
}

// ---------------------------------------------------------------- integer Zipf weights
// weight(i) = 2^32 * (i+1)^-1.1, computed with integer arithmetic only so the sampled tags do
// not depend on the platform's libm or on FMA contraction.

constexpr int kFracBits = 40;

uint64_t log2_fixed(uint64_t n) {  // log2(n) in Q40, n >= 1
    int e = 63 - __builtin_clzll(n);
    uint64_t m = e >= 62 ? n >> (e - 62) : n << (62 - e);  // [1,2) in Q62 (low bits dropped when e > 62)
    uint64_t frac = 0;
    for (int k = 1; k <= kFracBits; ++k) {
        m = mul_q62(m, m);  // [1,4) in Q62
        if (m >= (1ull << 63)) {
            m >>= 1;
            frac |= 1ull << (kFracBits - k);
        }
    }
    return (static_cast<uint64_t>(e) << kFracBits) | frac;
}

uint64_t zipf_weight(uint64_t rank1) {  // 2^32 * rank1^-1.1
    // roots[j] = 2^(-2^-j) in Q62 (j = 0..40): floor square roots of 2^-1, generated with exact
    // integer arithmetic (c[j] = isqrt(c[j-1] << 62)).
    static const uint64_t roots[kFracBits + 1] = {
        0x2000000000000000ull, 0x2D413CCCFE779921ull, 0x35D13F32B5A75ABDull, 0x3AB031B9F7490E4Bull, 0x3D495F454921B30Aull,
        0x3EA0ECB6DC8A80CEull, 0x3F4F83033D21B05Cull, 0x3FA784571EE3E212ull, 0x3FD3B2D65447B228ull, 0x3FE9D59487236BB3ull,
        0x3FF4E9D4703DF842ull, 0x3FFA74ACBDF6C9D4ull, 0x3FFD3A46FFC6E30Eull, 0x3FFE9D1FA8010198ull, 0x3FFF4E8EDE053AD4ull,
        0x3FFFA747318376ABull, 0x3FFFD3A38961E6FDull, 0x3FFFE9D1C0D8FD13ull, 0x3FFFF4E8DF7680C4ull, 0x3FFFFA746F7DC0EBull,
        0x3FFFFD3A37AF8097ull, 0x3FFFFE9D1BD3E853ull, 0x3FFFFF4E8DE8FE2Bull, 0x3FFFFFA746F44196ull, 0x3FFFFFD3A37A116Bull,
        0x3FFFFFE9D1BD04DDull, 0x3FFFFFF4E8DE8178ull, 0x3FFFFFFA746F407Eull, 0x3FFFFFFD3A37A02Full, 0x3FFFFFFE9D1BD013ull,
        0x3FFFFFFF4E8DE808ull, 0x3FFFFFFFA746F403ull, 0x3FFFFFFFD3A37A01ull, 0x3FFFFFFFE9D1BD00ull, 0x3FFFFFFFF4E8DE7Full,
        0x3FFFFFFFFA746F3Full, 0x3FFFFFFFFD3A379Full, 0x3FFFFFFFFE9D1BCFull, 0x3FFFFFFFFF4E8DE7ull, 0x3FFFFFFFFFA746F3ull,
        0x3FFFFFFFFFD3A379ull,
    };
    uint64_t x = log2_fixed(rank1) * 11 / 10;  // exponent 1.1
    uint64_t ipart = x >> kFracBits, fpart = x & ((1ull << kFracBits) - 1);
    uint64_t w = 1ull << 62;  // 1.0 in Q62
    for (int j = 1; j <= kFracBits; ++j)
        if (fpart & (1ull << (kFracBits - j))) w = mul_q62(w, roots[j]);
    w >>= 30;  // Q32
    return ipart >= 63 ? 1 : std::max<uint64_t>(1, w >> ipart);
}

// ---------------------------------------------------------------- calendar

// The tenant's dates, in its fixed China-time offset, on core's calendar (core/time/calendar.h).
struct Civil {
    int64_t y;
    unsigned m, d;
};
Civil civil_from_days(int64_t day) {
    const LocalDate date = date_of_day(day);
    return {date.year, static_cast<unsigned>(date.month), static_cast<unsigned>(date.day)};
}
int64_t local_day(int64_t t) { return local_day_number(t, kTzMinutes); }
int64_t local_time(int64_t day, int hour, int minute) { return local_day_start(day, kTzMinutes) + hour * 3600 + minute * 60; }
int weekday(int64_t day) { return (weekday_of_day(day) + 1) % 7; }  // 0 = Sunday
std::string mmdd(int64_t day) {
    Civil c = civil_from_days(day);
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02u%02u", c.m, c.d);
    return buf;
}

// 2026-11-20 10:00 China time, fixed.
const int64_t kNow = local_time(day_of_date(2026, 11, 20), 10, 0);

// ---------------------------------------------------------------- JSON text

inline void append_int(std::string& out, int64_t v) {
    char buf[24];
    char* p = buf + sizeof buf;
    uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    do {
        *--p = static_cast<char>('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    out.append(p, static_cast<size_t>(buf + sizeof buf - p));
}

// "..." with \" \\ and control characters (< 0x20) as \u00XX; UTF-8 passes through.
void append_quoted(std::string& out, std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    out.push_back('"');
    size_t start = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + start, i - start);
        if (c == '"') out.append("\\\"");
        else if (c == '\\') out.append("\\\\");
        else {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(e, 6);
        }
        start = i + 1;
    }
    out.append(s.data() + start, s.size() - start);
    out.push_back('"');
}
std::string json_quoted(std::string_view s) {
    std::string out;
    append_quoted(out, s);
    return out;
}

// Buffered file writer: 1 MiB std::string flushed with fwrite.
class Writer {
public:
    explicit Writer(std::string path) : path_(std::move(path)) {
        f_ = std::fopen(path_.c_str(), "wb");
        if (!f_) throw std::runtime_error("generate_tenant: cannot open '" + path_ + "' for writing: " + std::strerror(errno));
        buf_.reserve(kCap + 64 * 1024);
    }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    ~Writer() {
        if (f_) std::fclose(f_);
    }
    std::string& buf() { return buf_; }
    void raw(std::string_view s) {
        buf_.append(s);
        maybe_flush();
    }
    void maybe_flush() {
        if (buf_.size() >= kCap) flush();
    }
    void flush() {
        if (buf_.empty()) return;
        size_t n = std::fwrite(buf_.data(), 1, buf_.size(), f_);
        if (n != buf_.size()) fail("write to");
        bytes_ += static_cast<int64_t>(n);
        buf_.clear();
    }
    int64_t close() {
        flush();
        if (std::fflush(f_) != 0) fail("write to");
        FILE* f = f_;
        f_ = nullptr;
        if (std::fclose(f) != 0) fail("close");
        return bytes_;
    }

private:
    [[noreturn]] void fail(const char* what) {
        int err = errno;
        throw std::runtime_error(std::string("generate_tenant: cannot ") + what + " '" + path_ +
                                 "': " + (err ? std::strerror(err) : "I/O error"));
    }
    static constexpr size_t kCap = 1u << 20;
    std::string path_;
    FILE* f_ = nullptr;
    std::string buf_;
    int64_t bytes_ = 0;
};

// A small JSON tree for the campaign documents (objects keep insertion order).
struct J {
    enum class T : uint8_t { Null, Bool, Int, Str, Arr, Obj } t = T::Null;
    bool b = false;
    int64_t i = 0;
    std::string s;
    std::vector<std::string> keys;
    std::vector<J> items;
};
J jb(bool v) {
    J j;
    j.t = J::T::Bool;
    j.b = v;
    return j;
}
J ji(int64_t v) {
    J j;
    j.t = J::T::Int;
    j.i = v;
    return j;
}
J js(std::string v) {
    J j;
    j.t = J::T::Str;
    j.s = std::move(v);
    return j;
}
J ja(std::vector<J> v = {}) {
    J j;
    j.t = J::T::Arr;
    j.items = std::move(v);
    return j;
}
J jo(std::vector<std::pair<std::string, J>> kv = {}) {
    J j;
    j.t = J::T::Obj;
    for (auto& [k, v] : kv) {
        j.keys.push_back(k);
        j.items.push_back(std::move(v));
    }
    return j;
}
J jstrs(const std::vector<std::string>& v) {
    J a = ja();
    for (const auto& s : v) a.items.push_back(js(s));
    return a;
}
J jints(const std::vector<int64_t>& v) {
    J a = ja();
    for (int64_t x : v) a.items.push_back(ji(x));
    return a;
}

void dump(const J& j, std::string& out, int indent, int level) {
    auto newline = [&](int lv) {
        if (indent < 0) return;
        out.push_back('\n');
        out.append(static_cast<size_t>(indent * lv), ' ');
    };
    switch (j.t) {
        case J::T::Null: out += "null"; break;
        case J::T::Bool: out += j.b ? "true" : "false"; break;
        case J::T::Int: append_int(out, j.i); break;
        case J::T::Str: append_quoted(out, j.s); break;
        case J::T::Arr:
        case J::T::Obj: {
            const bool obj = j.t == J::T::Obj;
            out.push_back(obj ? '{' : '[');
            if (j.items.empty()) {
                out.push_back(obj ? '}' : ']');
                break;
            }
            // Arrays of scalars stay on one line even when indenting.
            bool flat = !obj && std::all_of(j.items.begin(), j.items.end(),
                                            [](const J& x) { return x.t != J::T::Arr && x.t != J::T::Obj; });
            for (size_t k = 0; k < j.items.size(); ++k) {
                if (k) out.push_back(',');
                if (flat) {
                    if (k && indent >= 0) out.push_back(' ');
                } else {
                    newline(level + 1);
                }
                if (obj) {
                    append_quoted(out, j.keys[k]);
                    out.push_back(':');
                    if (indent >= 0) out.push_back(' ');
                }
                dump(j.items[k], out, indent, level + 1);
            }
            if (!flat) newline(level);
            out.push_back(obj ? '}' : ']');
            break;
        }
    }
}

// ---------------------------------------------------------------- base62 ids

const char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// `random_chars` characters from a hash, then the 11 base62 digits of a 64-bit value (least
// significant first). Distinct values give distinct ids.
void encode_id(char* out, uint64_t noise, int random_chars, uint64_t value) {
    for (int k = 0; k < random_chars; ++k) {
        out[k] = kBase62[noise % 62];
        noise /= 62;
    }
    for (int k = 0; k < 11; ++k) {
        out[random_chars + k] = kBase62[value % 62];
        value /= 62;
    }
}

// ---------------------------------------------------------------- static tables

struct CityDef {
    const char* name;
    int weight;
    std::vector<const char*> districts;
};
struct RegionDef {
    const char* name;
    int weight;
    std::vector<CityDef> cities;
};

const std::vector<RegionDef>& region_defs() {
    static const std::vector<RegionDef> r = {
        {"华东区",
         30,
         {{"上海", 30, {"徐汇", "静安", "浦东", "闵行", "长宁", "杨浦", "黄浦", "普陀", "宝山", "嘉定"}},
          {"杭州", 16, {"西湖", "滨江", "拱墅", "上城", "余杭", "萧山"}},
          {"南京", 14, {"鼓楼", "玄武", "建邺", "江宁", "秦淮", "栖霞"}},
          {"苏州", 10, {"姑苏", "工业园区", "吴中", "相城", "虎丘"}},
          {"宁波", 6, {"鄞州", "海曙", "江北"}},
          {"合肥", 6, {"蜀山", "包河", "庐阳", "政务区"}},
          {"无锡", 5, {"梁溪", "滨湖", "新吴"}}}},
        {"华南区",
         22,
         {{"深圳", 25, {"南山", "福田", "罗湖", "宝安", "龙华", "龙岗"}},
          {"广州", 25, {"天河", "越秀", "海珠", "番禺", "白云", "荔湾"}},
          {"厦门", 8, {"思明", "湖里", "集美"}},
          {"福州", 6, {"鼓楼", "台江", "仓山"}},
          {"东莞", 6, {"南城", "东城", "松山湖"}},
          {"南宁", 5, {"青秀", "西乡塘"}},
          {"佛山", 6, {"禅城", "南海", "顺德"}}}},
        {"华北区",
         18,
         {{"北京", 35, {"朝阳", "海淀", "东城", "西城", "丰台", "通州", "昌平"}},
          {"天津", 12, {"和平", "南开", "河西", "滨海"}},
          {"济南", 8, {"历下", "市中", "槐荫"}},
          {"青岛", 9, {"市南", "崂山", "市北"}},
          {"石家庄", 6, {"长安", "桥西", "裕华"}},
          {"太原", 5, {"小店", "迎泽"}}}},
        {"西南区",
         12,
         {{"成都", 30, {"锦江", "武侯", "高新", "青羊", "金牛", "成华"}},
          {"重庆", 25, {"渝中", "江北", "南岸", "沙坪坝", "渝北", "九龙坡"}},
          {"昆明", 8, {"五华", "盘龙", "西山"}},
          {"贵阳", 6, {"云岩", "南明", "观山湖"}}}},
        {"华中区",
         10,
         {{"武汉", 30, {"江汉", "武昌", "洪山", "汉阳", "江岸"}},
          {"长沙", 22, {"岳麓", "芙蓉", "天心", "开福"}},
          {"郑州", 18, {"金水", "二七", "郑东新区", "中原"}},
          {"南昌", 10, {"东湖", "红谷滩", "西湖"}}}},
        {"西北区",
         4,
         {{"西安", 30, {"雁塔", "碑林", "未央", "曲江"}}, {"兰州", 8, {"城关", "七里河"}}, {"银川", 5, {"兴庆", "金凤"}}}},
        {"东北区",
         4,
         {{"沈阳", 20, {"和平", "沈河", "浑南"}},
          {"大连", 15, {"中山", "沙河口", "甘井子"}},
          {"哈尔滨", 15, {"南岗", "道里", "松北"}},
          {"长春", 10, {"朝阳", "南关", "净月"}}}},
    };
    return r;
}

const std::vector<const char*> kMalls = {"万达", "万象城", "大悦城", "来福士", "银泰", "吾悦广场", "龙湖天街", "印象城",
                                         "宝龙", "凯德",   "太古里", "恒隆",   "K11",  "新天地",   "IFS",      "砂之船"};

struct Pinyin {
    const char* han;
    const char* py;
    int weight;
};
const std::vector<Pinyin> kSurnames = {
    {"王", "wang", 72},  {"李", "li", 71},    {"张", "zhang", 68}, {"刘", "liu", 54},     {"陈", "chen", 45},
    {"杨", "yang", 31},  {"黄", "huang", 23}, {"赵", "zhao", 20},  {"吴", "wu", 20},      {"周", "zhou", 19},
    {"徐", "xu", 15},    {"孙", "sun", 15},   {"马", "ma", 14},    {"朱", "zhu", 13},     {"胡", "hu", 13},
    {"郭", "guo", 12},   {"何", "he", 11},    {"高", "gao", 10},   {"林", "lin", 10},     {"罗", "luo", 10},
    {"郑", "zheng", 9},  {"梁", "liang", 9},  {"谢", "xie", 8},    {"宋", "song", 8},     {"唐", "tang", 7},
    {"许", "xu", 7},     {"韩", "han", 7},    {"冯", "feng", 7},   {"邓", "deng", 7},     {"曹", "cao", 7},
    {"彭", "peng", 6},   {"曾", "zeng", 6},   {"肖", "xiao", 6},   {"田", "tian", 6},     {"董", "dong", 5},
    {"袁", "yuan", 5},   {"潘", "pan", 5},    {"于", "yu", 5},     {"蒋", "jiang", 5},    {"蔡", "cai", 5},
    {"余", "yu", 5},     {"杜", "du", 5},     {"叶", "ye", 5},     {"程", "cheng", 5},    {"苏", "su", 4},
    {"魏", "wei", 4},    {"吕", "lv", 4},     {"丁", "ding", 4},   {"任", "ren", 4},      {"沈", "shen", 4},
    {"姚", "yao", 4},    {"卢", "lu", 4},     {"姜", "jiang", 4},  {"崔", "cui", 4},      {"钟", "zhong", 4},
    {"谭", "tan", 3},    {"陆", "lu", 3},     {"汪", "wang", 3},   {"范", "fan", 3},      {"金", "jin", 3},
    {"石", "shi", 3},    {"廖", "liao", 3},   {"贾", "jia", 3},    {"夏", "xia", 3},      {"韦", "wei", 3},
    {"付", "fu", 3},     {"方", "fang", 3},   {"白", "bai", 3},    {"邹", "zou", 3},      {"孟", "meng", 3},
    {"熊", "xiong", 3},  {"秦", "qin", 3},    {"邱", "qiu", 3},    {"江", "jiang", 3},    {"尹", "yin", 2},
    {"薛", "xue", 2},    {"段", "duan", 2},   {"雷", "lei", 2},    {"侯", "hou", 2},      {"龙", "long", 2},
    {"史", "shi", 2},    {"陶", "tao", 2},    {"黎", "li", 2},     {"贺", "he", 2},       {"顾", "gu", 2},
    {"毛", "mao", 2},    {"郝", "hao", 2},    {"龚", "gong", 2},   {"邵", "shao", 2},     {"万", "wan", 2},
    {"钱", "qian", 2},   {"严", "yan", 2},    {"武", "wu", 2},     {"戴", "dai", 2},      {"莫", "mo", 1},
    {"孔", "kong", 1},   {"向", "xiang", 1},  {"汤", "tang", 1},   {"欧阳", "ouyang", 1}, {"上官", "shangguan", 1},
    {"司马", "sima", 1},
};
const std::vector<Pinyin> kGiven = {
    {"伟", "wei", 1},   {"芳", "fang", 1}, {"娜", "na", 1},   {"敏", "min", 1},  {"静", "jing", 1},  {"丽", "li", 1},
    {"强", "qiang", 1}, {"磊", "lei", 1},  {"军", "jun", 1},  {"洋", "yang", 1}, {"勇", "yong", 1},  {"艳", "yan", 1},
    {"杰", "jie", 1},   {"娟", "juan", 1}, {"涛", "tao", 1},  {"明", "ming", 1}, {"超", "chao", 1},  {"秀", "xiu", 1},
    {"霞", "xia", 1},   {"平", "ping", 1}, {"刚", "gang", 1}, {"英", "ying", 1}, {"华", "hua", 1},   {"玉", "yu", 1},
    {"萍", "ping", 1},  {"红", "hong", 1}, {"鹏", "peng", 1}, {"辉", "hui", 1},  {"玲", "ling", 1},  {"婷", "ting", 1},
    {"雪", "xue", 1},   {"琳", "lin", 1},  {"晨", "chen", 1}, {"欣", "xin", 1},  {"怡", "yi", 1},    {"佳", "jia", 1},
    {"子", "zi", 1},    {"涵", "han", 1},  {"梓", "zi", 1},   {"宇", "yu", 1},   {"浩", "hao", 1},   {"轩", "xuan", 1},
    {"然", "ran", 1},   {"思", "si", 1},   {"雨", "yu", 1},   {"萱", "xuan", 1}, {"诗", "shi", 1},   {"琪", "qi", 1},
    {"悦", "yue", 1},   {"博", "bo", 1},   {"文", "wen", 1},  {"昊", "hao", 1},  {"嘉", "jia", 1},   {"瑶", "yao", 1},
    {"晴", "qing", 1},  {"颖", "ying", 1}, {"倩", "qian", 1}, {"凯", "kai", 1},  {"宁", "ning", 1},  {"彤", "tong", 1},
    {"楠", "nan", 1},   {"帆", "fan", 1},  {"一", "yi", 1},   {"心", "xin", 1},  {"若", "ruo", 1},   {"安", "an", 1},
    {"可", "ke", 1},    {"乐", "le", 1},   {"晓", "xiao", 1}, {"小", "xiao", 1}, {"亮", "liang", 1}, {"斌", "bin", 1},
    {"飞", "fei", 1},   {"建", "jian", 1}, {"国", "guo", 1},  {"志", "zhi", 1},  {"慧", "hui", 1},   {"燕", "yan", 1},
    {"俊", "jun", 1},   {"丹", "dan", 1},  {"蕾", "lei", 1},  {"露", "lu", 1},   {"薇", "wei", 1},   {"璐", "lu", 1},
    {"航", "hang", 1},  {"睿", "rui", 1},  {"泽", "ze", 1},   {"铭", "ming", 1}, {"雯", "wen", 1},   {"洁", "jie", 1},
};

const std::vector<const char*> kNicknames = {
    "小雨",
    "Amy",
    "Sunny",
    "木子李",
    "晴天",
    "🌸花花",
    "Lily",
    "阿杰",
    "快乐每一天",
    "静待花开",
    "Coco",
    "糖糖🍬",
    "一路向北",
    "Vivian",
    "大橙子🍊",
    "知足常乐",
    "Kevin",
    "慢慢来",
    "小鹿乱撞🦌",
    "Grace",
    "岁月静好",
    "王姐",
    "李女士",
    "张先生",
    "Tina",
    "Jason",
    "向日葵🌻",
    "简单点",
    "橘子汽水",
    "Momo",
    "A.周周",
    "🍀幸运草",
    "微笑😊",
    "陈小姐（VIP）",
    "兔子不吃草",
    "猫咪🐱",
    "Eric",
    "小宝妈妈",
    "安安妈",
    "Yoyo",
    "一米阳光",
    "🌙月亮",
    "蓝色天空",
    "追梦人",
    "Jenny",
    "阿May",
    "刘老师",
    "Cherry🍒",
    "暖暖",
    "豆豆",
    "芒果布丁",
    "Sophia",
    "老周",
    "花开富贵",
};
// Rare names that exercise JSON escaping (quote, backslash, a control character).
const std::vector<const char*> kOddNicknames = {"~\\(≧▽≦)/~", "\"阿强\"", "Coco\t可可", "C:\\Users\\莉莉", "「小\"七\"」"};

const std::vector<const char*> kInterestBase = {
    "护肤",   "彩妆", "母婴", "运动",   "咖啡",   "香水",   "美食", "旅行",   "健身", "户外",   "零食",     "茶饮",     "烘焙",
    "家居",   "宠物", "数码", "瑜伽",   "跑步",   "露营",   "女装", "男装",   "童装", "鞋履",   "箱包",     "珠宝",     "手表",
    "防晒",   "抗老", "美白", "敏感肌", "口红",   "香氛",   "鲜花", "绿植",   "阅读", "电影",   "音乐",     "动漫",     "游戏",
    "摄影",   "汽车", "理财", "轻奢",   "国潮",   "汉服",   "内衣", "家纺",   "厨具", "保健品", "有机食品", "健康轻食", "低糖",
    "咖啡豆", "美甲", "美发", "婚庆",   "学生党", "上班族", "宝妈", "银发族", "猫咪", "狗狗",   "滑雪",     "骑行",
};
const std::vector<const char*> kInterestModifiers = {"·高客单", "·新品控", "·优惠敏感", "·礼盒",
                                                     "·复购",   "·种草",   "·直播",     "·会员日"};
const std::vector<const char*> kLevels = {"普通会员", "银卡会员", "金卡会员", "钻石会员", "黑金会员"};
const uint32_t kLevelPpm[] = {520000, 250000, 140000, 70000, 20000};
const int64_t kLevelOrderCents[] = {9900, 16800, 29900, 52800, 98800};
const uint32_t kLevelZeroOrdersPpm[] = {550000, 420000, 300000, 200000, 120000};
enum Life { kNew = 0, kActive = 1, kDormant = 2, kLost = 3, kRepeat = 4 };
const std::vector<const char*> kLifecycle = {"新客", "活跃", "沉睡", "流失", "复购"};

struct Channel {
    const char* name;
    int weight;
};
const std::vector<Channel> kStoreChannels = {{"门店扫码", 34},    {"导购名片", 12}, {"活动海报", 12}, {"朋友推荐", 10},
                                             {"企业微信活码", 9}, {"线上商城", 6},  {"直播间", 5},    {"社群裂变", 4},
                                             {"小程序下单", 4},   {"", 4}};
const std::vector<Channel> kOnlineChannels = {{"线上商城", 40}, {"小程序下单", 30}, {"直播间", 20}, {"", 10}};

// ---------------------------------------------------------------- the tenant model

struct Store {
    int region;
    int city;
    int64_t dept = 0;
    std::string name;
    uint32_t tag = kNoTag;
};
struct CityUse {
    int region;
    int def;
    int64_t dept = 0;
    std::string name;
    uint32_t tag = kNoTag;
};
struct RegionUse {
    int def;
    int64_t dept = 0;
    std::string name;
    uint32_t tag = kNoTag;
};

struct Emp {
    std::string userid, name, position;
    std::vector<int64_t> depts;
    int store = -1, region = -1, city = -1;  // indices into Tenant::stores / regions / cities (-1: HQ)
    bool active = true, moments = true;
    int activity = 0;  // 0..3: how often they post on their own
    std::string q_userid;  // JSON-quoted userid
};

struct TagRec {
    std::string id, name, q_id;
};
struct Group {
    std::string id, name;
    std::vector<uint32_t> tags;
};

struct PastCampaign {
    std::string id;
    bool moment = true, enterprise = true;
    int64_t time = 0;
    int region = -1;  // enterprise: restricted to a region's employees
    std::vector<uint32_t> tags;  // enterprise: tags_any audience (empty = everyone)
    uint32_t ppm = 0;  // chance that an eligible customer receives it
    int emp = -1;  // employee campaigns: the sender
    std::string prefix;  // {"campaign_id":...,"external_userid":"
};

struct Tenant {
    uint64_t seed = 1;
    int64_t now = kNow;
    int64_t today = 0;  // local day of now
    int history_days = 90;
    int64_t customers = 0;
    std::string corp_name, brand;
    std::vector<std::pair<int64_t, std::pair<std::string, int64_t>>> departments;  // id -> (name, parent)
    int64_t dept_hq = 1, dept_marketing = 0, dept_service = 0, dept_ecommerce = 0;
    std::vector<RegionUse> regions;
    std::vector<CityUse> cities;
    std::vector<Store> stores;
    std::vector<std::vector<int>> store_members;
    std::vector<Emp> emps;
    std::vector<int> store_emp_ids;  // candidates for a customer's first relation
    std::vector<uint64_t> store_emp_cum;  // their skewed weights (cumulative)
    std::vector<int> online_emps;  // 客服中心 / 电商运营部
    std::vector<uint64_t> city_cum;  // customer cities when the owner is online staff
    std::vector<TagRec> tags;
    std::vector<Group> groups;
    uint32_t level_tag[5] = {}, life_tag[5] = {};
    std::vector<uint32_t> interest_tags;  // in popularity order
    std::vector<uint64_t> interest_cum;  // Zipf
    std::vector<uint32_t> emp_store_tag;  // per employee (kNoTag for HQ)
    std::vector<PastCampaign> camps;  // enterprise ones first (time order), then employee ones
    size_t enterprise_camps = 0;
    std::vector<uint32_t> emp_camp_begin;  // CSR into emp_camp_list, per employee
    std::vector<uint32_t> emp_camp_list;
    uint32_t weekly_push_camp = 0;  // the stores' push week (see write_deliveries)
    uint64_t id_key = 0, id_noise_key = 0;
    std::vector<int> busiest;  // store employees able to post, most customers first
};

std::string ext_userid(const Tenant& t, uint64_t index) {
    char buf[2 + 16];
    buf[0] = 'w';
    buf[1] = 'm';
    encode_id(buf + 2, mix64(index ^ t.id_noise_key), 5, mix64(index + t.id_key));
    return std::string(buf, sizeof buf);
}

void add_dept(Tenant& t, int64_t id, std::string name, int64_t parent) {
    t.departments.push_back({id, {std::move(name), parent}});
}

void build_org(Tenant& t, int64_t customers) {
    Rng r(t.seed, kStreamTenant, 0);
    static const char* const corps[][2] = {{"悦享生活零售有限公司", "悦享"},
                                           {"禾木优选商贸有限公司", "禾木优选"},
                                           {"青柚生活百货有限公司", "青柚"},
                                           {"星屿美妆零售有限公司", "星屿"}};
    size_t ci = t.seed == 1 ? 0 : static_cast<size_t>(mix64(t.seed ^ 0xC0FFEEull) % 4);
    t.corp_name = corps[ci][0];
    t.brand = corps[ci][1];

    const int64_t E = std::max<int64_t>(10, customers * 150 / 10000);
    const int64_t n_market = std::max<int64_t>(1, E / 100);
    const int64_t n_service = std::max<int64_t>(1, E * 3 / 100);
    const int64_t n_ecom = E / 200;
    const int64_t n_director = E >= 30 ? 1 : 0;
    const bool managers = E >= 60;
    const auto& defs = region_defs();
    int64_t store_est = E - n_market - n_service - n_ecom - n_director - (managers ? 7 : 0);
    const int64_t S = std::max<int64_t>(1, (store_est + 5) / 10);

    // Stores: region, city, district; named city + district (+ mall) + 店, unique.
    std::vector<uint64_t> region_w;
    for (const auto& rd : defs) region_w.push_back(static_cast<uint64_t>(rd.weight));
    auto region_cum = cumulative(region_w);
    std::vector<std::vector<std::vector<int>>> per_district(defs.size());
    for (size_t ri = 0; ri < defs.size(); ++ri) {
        per_district[ri].resize(defs[ri].cities.size());
        for (size_t c = 0; c < defs[ri].cities.size(); ++c) per_district[ri][c].assign(defs[ri].cities[c].districts.size(), 0);
    }
    struct RawStore {
        int region, city, district, k;
    };
    std::vector<RawStore> raw;
    for (int64_t s = 0; s < S; ++s) {
        int ri, c;
        if (s == 0) {
            ri = 0;
            c = 0;
        }  // the first store is in Shanghai
        else if (s == 1) {
            ri = 1;
            c = 0;
        }  // then Shenzhen
        else {
            ri = static_cast<int>(pick_cumulative(r, region_cum));
            std::vector<uint64_t> cw;
            for (const auto& cd : defs[ri].cities) cw.push_back(static_cast<uint64_t>(cd.weight));
            c = static_cast<int>(pick_cumulative(r, cumulative(cw)));
        }
        int d = static_cast<int>(r.below(defs[ri].cities[c].districts.size()));
        int k = per_district[ri][c][d]++;
        raw.push_back({ri, c, d, k});
    }
    // Departments: 1 总部, HQ functions, regions, cities, stores (grouped, in table order).
    add_dept(t, 1, "总部", 0);
    t.dept_marketing = 2;
    add_dept(t, 2, "市场部", 1);
    t.dept_service = 3;
    add_dept(t, 3, "客服中心", 1);
    t.dept_ecommerce = 4;
    add_dept(t, 4, "电商运营部", 1);
    int64_t next_id = 5;
    std::vector<int> region_use(defs.size(), -1);
    std::vector<std::vector<int>> city_use(defs.size());
    for (size_t ri = 0; ri < defs.size(); ++ri) city_use[ri].assign(defs[ri].cities.size(), -1);
    std::vector<size_t> order(raw.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const RawStore &x = raw[a], &y = raw[b];
        if (x.region != y.region) return x.region < y.region;
        if (x.city != y.city) return x.city < y.city;
        return a < b;
    });
    for (size_t i : order) {
        const RawStore& s = raw[i];
        if (region_use[s.region] < 0) {
            region_use[s.region] = static_cast<int>(t.regions.size());
            t.regions.push_back({s.region, 0, defs[s.region].name});
        }
    }
    for (auto& reg : t.regions) {
        reg.dept = next_id++;
        add_dept(t, reg.dept, reg.name, 1);
    }
    for (size_t i : order) {
        const RawStore& s = raw[i];
        if (city_use[s.region][s.city] < 0) {
            city_use[s.region][s.city] = static_cast<int>(t.cities.size());
            t.cities.push_back({region_use[s.region], s.city, 0, defs[s.region].cities[s.city].name});
        }
    }
    for (auto& c : t.cities) {
        c.dept = next_id++;
        add_dept(t, c.dept, c.name, t.regions[c.region].dept);
    }
    std::set<std::string> store_names;
    for (size_t i : order) {
        const RawStore& s = raw[i];
        const CityDef& cd = defs[s.region].cities[s.city];
        std::string name = std::string(cd.name) + cd.districts[s.district];
        if (s.k > 0) {
            size_t j = static_cast<size_t>(s.k - 1);
            size_t off = static_cast<size_t>(s.city * 7 + s.district * 3);
            name += kMalls[(j + off) % kMalls.size()];
            if (j >= kMalls.size()) name += std::to_string(j / kMalls.size() + 1) + "号";
        }
        name += "店";
        while (!store_names.insert(name).second) name += "·新";  // cannot happen with the tables above
        Store st;
        st.region = region_use[s.region];
        st.city = city_use[s.region][s.city];
        st.name = std::move(name);
        st.dept = next_id++;
        add_dept(t, st.dept, st.name, t.cities[st.city].dept);
        t.stores.push_back(std::move(st));
    }

    // Employees.
    std::unordered_set<std::string> userids;
    std::vector<uint64_t> sur_w;
    for (const auto& p : kSurnames) sur_w.push_back(static_cast<uint64_t>(p.weight));
    const auto sur_cum = cumulative(sur_w);
    auto make_emp = [&](std::string position, int64_t dept, int store) {
        Emp e;
        const Pinyin& sn = kSurnames[pick_cumulative(r, sur_cum)];
        const Pinyin& g1 = kGiven[r.below(kGiven.size())];
        bool two = r.ppm(650000);
        const Pinyin& g2 = kGiven[r.below(kGiven.size())];
        e.name = std::string(sn.han) + g1.han + (two ? g2.han : "");
        std::string given = std::string(g1.py) + (two ? g2.py : "");
        std::string uid = std::string(sn.py) + given;
        if (!userids.insert(uid).second) {
            char num[8];
            std::snprintf(num, sizeof num, "%04d", static_cast<int>(t.emps.size() % 10000));
            uid = std::string(sn.py) + "." + given + "." + num;
            while (!userids.insert(uid).second) uid += "x";
        }
        e.userid = uid;
        e.q_userid = json_quoted(uid);
        e.position = std::move(position);
        e.depts.push_back(dept);
        e.store = store;
        if (store >= 0) {
            e.region = t.stores[store].region;
            e.city = t.stores[store].city;
        }
        e.active = !r.ppm(50000);
        e.moments = r.ppm(900000);
        static const uint32_t act_ppm[] = {300000, 300000, 250000, 150000};
        uint64_t a = r.below(1000000), acc = 0;
        e.activity = 3;
        for (int k = 0; k < 4; ++k) {
            acc += act_ppm[k];
            if (a < acc) {
                e.activity = k;
                break;
            }
        }
        t.emps.push_back(std::move(e));
        return static_cast<int>(t.emps.size() - 1);
    };
    if (n_director) {
        int e = make_emp("运营总监", 1, -1);
        t.emps[e].active = true;
    }
    for (int64_t k = 0; k < n_market; ++k) make_emp("市场专员", t.dept_marketing, -1);
    for (int64_t k = 0; k < n_service; ++k) t.online_emps.push_back(make_emp("客户经理", t.dept_service, -1));
    for (int64_t k = 0; k < n_ecom; ++k) t.online_emps.push_back(make_emp("电商运营", t.dept_ecommerce, -1));
    if (managers) {
        for (size_t ri = 0; ri < t.regions.size(); ++ri) {
            int e = make_emp("区域经理", t.regions[ri].dept, -1);
            t.emps[e].region = static_cast<int>(ri);
            t.emps[e].active = true;
        }
    }
    const int64_t store_total = E - static_cast<int64_t>(t.emps.size());
    const int64_t nstores = static_cast<int64_t>(t.stores.size());
    std::vector<int64_t> sizes(static_cast<size_t>(nstores), store_total / nstores);
    for (int64_t i = 0; i < store_total % nstores; ++i) ++sizes[static_cast<size_t>(i)];
    for (int64_t k = 0; k < nstores * 2; ++k) {  // vary store sizes within 6..15
        size_t a = r.below(static_cast<uint64_t>(nstores)), b = r.below(static_cast<uint64_t>(nstores));
        int64_t d = r.range(1, 3);
        if (a != b && sizes[a] - d >= 6 && sizes[b] + d <= 15) {
            sizes[a] -= d;
            sizes[b] += d;
        }
    }
    t.store_members.resize(t.stores.size());
    std::vector<uint64_t> weights;
    for (size_t s = 0; s < t.stores.size(); ++s) {
        for (int64_t k = 0; k < sizes[s]; ++k) {
            int e = make_emp(k == 0 ? "店长" : "导购", t.stores[s].dept, static_cast<int>(s));
            t.store_members[s].push_back(e);
            t.store_emp_ids.push_back(e);
            // Skewed popularity: a few shop assistants own far more customers than others.
            uint64_t w = k == 0 ? 300 + r.below(300) : 200 + 20000 / (1 + r.below(1000));
            weights.push_back(w);
        }
    }
    t.store_emp_cum = cumulative(weights);
    // A few employees belong to a second department: another store in the city, or the region.
    for (size_t s = 0; s < t.stores.size(); ++s) {
        for (int e : t.store_members[s]) {
            if (!r.ppm(40000)) continue;
            int64_t second = t.regions[t.stores[s].region].dept;
            std::vector<size_t> same_city;
            for (size_t o = 0; o < t.stores.size(); ++o)
                if (o != s && t.stores[o].city == t.stores[s].city && same_city.size() < 64) same_city.push_back(o);
            if (!same_city.empty() && r.ppm(600000)) second = t.stores[same_city[r.below(same_city.size())]].dept;
            t.emps[e].depts.push_back(second);
        }
    }
    // Cities for customers of online staff.
    std::vector<uint64_t> cw;
    for (const auto& c : t.cities)
        cw.push_back(static_cast<uint64_t>(defs[t.regions[c.region].def].cities[c.def].weight) *
                     static_cast<uint64_t>(defs[t.regions[c.region].def].weight));
    t.city_cum = cumulative(cw);
}

void build_tags(Tenant& t, int tag_count) {
    Rng r(t.seed, kStreamTags, 0);
    const int fixed = 10;
    // 门店: one tag per store when it fits, else one per city, else one per region.
    int granularity = -1;  // 0 store, 1 city, 2 region
    int64_t store_tags = 0;
    for (int min_interests : {20, 4}) {
        int64_t avail = static_cast<int64_t>(tag_count) - fixed - min_interests;
        if (static_cast<int64_t>(t.stores.size()) <= avail) {
            granularity = 0;
            store_tags = static_cast<int64_t>(t.stores.size());
        } else if (static_cast<int64_t>(t.cities.size()) <= avail) {
            granularity = 1;
            store_tags = static_cast<int64_t>(t.cities.size());
        } else if (static_cast<int64_t>(t.regions.size()) <= avail) {
            granularity = 2;
            store_tags = static_cast<int64_t>(t.regions.size());
        }
        if (granularity >= 0) break;
    }
    if (granularity < 0)
        throw std::invalid_argument("generate_tenant: tag_count " + std::to_string(tag_count) + " is too small (need at least " +
                                    std::to_string(fixed + 4 + t.regions.size()) + ")");
    const int64_t interests = tag_count - fixed - store_tags;

    auto add_tag = [&](Group& g, std::string name) {
        uint32_t idx = static_cast<uint32_t>(t.tags.size());
        char buf[2 + 12];
        buf[0] = 'e';
        buf[1] = 't';
        encode_id(buf + 2, r.next(), 1, mix64(idx + t.id_key * 3 + 0x7A3));
        TagRec tr;
        tr.id = std::string(buf, sizeof buf);
        tr.q_id = json_quoted(tr.id);
        tr.name = std::move(name);
        t.tags.push_back(std::move(tr));
        g.tags.push_back(idx);
        return idx;
    };
    auto new_group = [&](const char* name) {
        Group g;
        char buf[3 + 11];
        std::memcpy(buf, "grp", 3);
        encode_id(buf + 3, 0, 0, mix64(t.groups.size() + t.id_key * 5 + 0x51));
        g.id = std::string(buf, sizeof buf);
        g.name = name;
        return g;
    };

    Group levels = new_group("会员等级");
    for (int k = 0; k < 5; ++k) t.level_tag[k] = add_tag(levels, kLevels[k]);
    t.groups.push_back(std::move(levels));

    Group interest = new_group("兴趣");
    for (int64_t k = 0; k < interests; ++k) {
        std::string name;
        const int64_t nb = static_cast<int64_t>(kInterestBase.size()), nm = static_cast<int64_t>(kInterestModifiers.size());
        if (k < nb) name = kInterestBase[static_cast<size_t>(k)];
        else if (k < nb * (1 + nm)) {
            int64_t j = k - nb;
            name = std::string(kInterestBase[static_cast<size_t>(j % nb)]) + kInterestModifiers[static_cast<size_t>(j / nb)];
        } else {
            char num[32];
            std::snprintf(num, sizeof num, "兴趣标签-%04lld", static_cast<long long>(k + 1));
            name = num;
        }
        t.interest_tags.push_back(add_tag(interest, std::move(name)));
    }
    t.groups.push_back(std::move(interest));
    std::vector<uint64_t> zw;
    for (size_t k = 0; k < t.interest_tags.size(); ++k) zw.push_back(zipf_weight(k + 1));
    t.interest_cum = cumulative(zw);

    Group stores = new_group("门店");
    if (granularity == 0)
        for (auto& s : t.stores) s.tag = add_tag(stores, s.name);
    else if (granularity == 1)
        for (auto& c : t.cities) c.tag = add_tag(stores, c.name + "门店");
    else
        for (auto& reg : t.regions) reg.tag = add_tag(stores, reg.name + "门店");
    t.groups.push_back(std::move(stores));

    Group life = new_group("生命周期");
    for (int k = 0; k < 5; ++k) t.life_tag[k] = add_tag(life, kLifecycle[k]);
    t.groups.push_back(std::move(life));

    t.emp_store_tag.assign(t.emps.size(), kNoTag);
    for (size_t e = 0; e < t.emps.size(); ++e) {
        int s = t.emps[e].store;
        if (s < 0) continue;
        t.emp_store_tag[e] = granularity == 0   ? t.stores[s].tag
                             : granularity == 1 ? t.cities[t.stores[s].city].tag
                                                : t.regions[t.stores[s].region].tag;
    }
}

// ---------------------------------------------------------------- campaigns

std::string theme_for(int64_t day) {
    Civil c = civil_from_days(day);
    const unsigned md = c.m * 100 + c.d;
    struct Ev {
        unsigned from, to;
        const char* name;
    };
    static const Ev events[] = {
        {101, 103, "元旦焕新"},   {110, 209, "年货节"},     {210, 214, "情人节"},      {301, 308, "女神节"},
        {501, 505, "五一出游季"}, {518, 521, "520告白季"},  {601, 618, "618年中大促"}, {811, 819, "七夕限定"},
        {901, 910, "开学季"},     {918, 925, "中秋团圆"},   {928, 1007, "国庆欢乐购"}, {1020, 1110, "双11预热"},
        {1111, 1111, "双11狂欢"}, {1112, 1118, "双11返场"}, {1119, 1211, "双12预热"},  {1212, 1212, "双12狂欢"},
        {1220, 1225, "圣诞礼遇"},
    };
    for (const auto& e : events)
        if (md >= e.from && md <= e.to) return e.name;
    static const char* const seasonal[] = {"冬季暖心", "冬季暖心", "春季焕新", "春季焕新", "春季焕新", "夏日清凉",
                                           "夏日清凉", "夏日清凉", "秋冬新品", "秋冬新品", "秋冬新品", "冬季暖心"};
    static const char* const generic[] = {"会员日", "新品上市", "周末福利", "好物推荐", "限时秒杀"};
    return std::string(weekday(day) == 5 || weekday(day) == 6 ? generic[2]
                                                              : (c.d % 3 == 0 ? generic[c.d % 5] : seasonal[c.m - 1]));
}

std::string delivery_prefix(const PastCampaign& c) {
    std::string p = "{\"campaign_id\":";
    append_quoted(p, c.id);
    p += c.moment ? ",\"kind\":\"moment\"" : ",\"kind\":\"mass_send\"";
    p += c.enterprise ? ",\"origin\":\"enterprise\"" : ",\"origin\":\"employee\"";
    p += ",\"external_userid\":\"";
    return p;
}

void build_past_campaigns(Tenant& t) {
    std::set<std::string> ids;
    auto unique_id = [&](std::string id) {
        std::string base = id;
        for (int n = 2; !ids.insert(id).second; ++n) id = base + "-" + std::to_string(n);
        return id;
    };
    const int64_t first_day = t.today - t.history_days;
    // Enterprise campaigns: moments on Tuesdays and Fridays, mass sends on Thursdays, extras on big days.
    {
        Rng r(t.seed, kStreamEntCampaigns, 0);
        for (int64_t day = first_day; day < t.today; ++day) {
            Civil c = civil_from_days(day);
            const unsigned md = c.m * 100 + c.d;
            const bool peak = md == 1111 || md == 1001 || md == 618 || md == 1212 || md == 520 || md == 214 || md == 308;
            const int wd = weekday(day);
            int moments = (wd == 2 || wd == 5) ? 1 : 0;
            int masses = wd == 4 ? 1 : 0;
            if (peak) {
                moments += 1;
                masses += 1;
            }
            for (int k = 0; k < moments + masses; ++k) {
                PastCampaign pc;
                pc.moment = k < moments;
                pc.enterprise = true;
                static const int moment_hours[] = {10, 12, 18, 20};
                static const int mass_hours[] = {10, 11, 19, 20};
                int hour = pc.moment ? moment_hours[r.below(4)] : mass_hours[r.below(4)];
                pc.time = local_time(day, hour, static_cast<int>(r.below(4)) * 15);
                if (pc.time < t.now - t.history_days * kDay) continue;  // history is [now - history_days, now)
                std::string theme = theme_for(day);
                pc.id = unique_id(theme + (pc.moment ? "" : "群发") + "-" + mmdd(day));
                uint64_t a = r.below(100);
                if (a < 30) {
                    pc.ppm = static_cast<uint32_t>(r.range(60000, 140000));
                } else if (a < 60) {  // one or two of the popular interests
                    pc.tags.push_back(t.interest_tags[r.below(std::min<size_t>(12, t.interest_tags.size()))]);
                    if (r.ppm(500000)) pc.tags.push_back(t.interest_tags[r.below(std::min<size_t>(30, t.interest_tags.size()))]);
                    pc.ppm = static_cast<uint32_t>(r.range(350000, 650000));
                } else if (a < 82) {  // member levels
                    int lo = static_cast<int>(r.range(1, 2));
                    for (int l = lo; l < 5; ++l) pc.tags.push_back(t.level_tag[l]);
                    pc.ppm = static_cast<uint32_t>(r.range(300000, 600000));
                } else {  // one region
                    pc.region = static_cast<int>(r.below(t.regions.size()));
                    pc.ppm = static_cast<uint32_t>(r.range(200000, 450000));
                }
                pc.ppm = std::min<uint32_t>(1000000, pc.ppm * (pc.moment ? 7 : 9) / 5);
                t.camps.push_back(std::move(pc));
            }
        }
        std::stable_sort(t.camps.begin(), t.camps.end(),
                         [](const PastCampaign& a, const PastCampaign& b) { return a.time < b.time; });
        t.enterprise_camps = t.camps.size();
    }
    // Employee campaigns: each active employee posts on their own now and then.
    t.emp_camp_begin.assign(t.emps.size() + 1, 0);
    static const uint32_t moment_week_ppm[] = {0, 80000, 240000, 500000};
    static const uint32_t mass_week_ppm[] = {0, 45000, 120000, 240000};
    const int64_t weeks = (t.history_days + 6) / 7;
    for (size_t e = 0; e < t.emps.size(); ++e) {
        t.emp_camp_begin[e] = static_cast<uint32_t>(t.emp_camp_list.size());
        const Emp& emp = t.emps[e];
        Rng r(t.seed, kStreamEmpCampaigns, e);
        if (!emp.active) continue;
        std::vector<PastCampaign> mine;
        for (int64_t w = 0; w < weeks; ++w) {
            for (int kind = 0; kind < 2; ++kind) {
                bool moment = kind == 0;
                bool fire = r.ppm(moment ? moment_week_ppm[emp.activity] : mass_week_ppm[emp.activity]);
                int64_t day = first_day + w * 7 + static_cast<int64_t>(r.below(7));
                int hour = static_cast<int>(r.range(9, 20)), minute = static_cast<int>(r.below(60));
                const int64_t time = local_time(day, hour, minute);
                if (!fire || day >= t.today || time < t.now - t.history_days * kDay || (moment && !emp.moments)) continue;
                PastCampaign pc;
                pc.moment = moment;
                pc.enterprise = false;
                pc.emp = static_cast<int>(e);
                pc.time = time;
                pc.id = unique_id(std::string(moment ? "导购朋友圈-" : "导购群发-") + emp.userid + "-" + mmdd(day));
                pc.ppm = moment ? 800000 : 650000;
                mine.push_back(std::move(pc));
            }
        }
        std::stable_sort(mine.begin(), mine.end(), [](const PastCampaign& a, const PastCampaign& b) { return a.time < b.time; });
        for (auto& pc : mine) {
            t.emp_camp_list.push_back(static_cast<uint32_t>(t.camps.size()));
            t.camps.push_back(std::move(pc));
        }
    }
    t.emp_camp_begin[t.emps.size()] = static_cast<uint32_t>(t.emp_camp_list.size());
    {
        // This week the stores push one-to-one mass sends hard to a few customers (write_deliveries).
        const int64_t week_start = t.today - (weekday(t.today) + 6) % 7;
        PastCampaign pc;
        pc.moment = false;
        pc.enterprise = false;
        pc.time = local_time(week_start, 11, 0);
        pc.id = unique_id("门店周促一对一-" + mmdd(week_start));
        pc.ppm = 30000;
        t.weekly_push_camp = static_cast<uint32_t>(t.camps.size());
        t.camps.push_back(std::move(pc));
    }
    for (auto& c : t.camps) c.prefix = delivery_prefix(c);
}

// ---------------------------------------------------------------- customers

struct Rel {
    int32_t emp = 0;
    int64_t ct = 0;
    int64_t chat = -1;
    bool del = false;
    const char* state = "";
    int ntag = 0;
    uint32_t tags[5] = {};
};

struct Cust {
    char ext[18];
    std::string_view name;
    char namebuf[32];
    int gender = 0;
    int nrel = 0;
    Rel rel[3];
    int level = 0, life = 0, city = 0;
    int64_t spend_cents = 0;
    int orders = 0;
    int bm = 0, bd = 0;  // birthday, 0 = unknown
    int64_t lastp = -1;  // last purchase, -1 = none
    int ni_rel = -1;  // not-interested event: relation index, time
    int64_t ni_time = 0;
};

const char* pick_channel(Rng& r, const std::vector<Channel>& list) {
    int total = 0;
    for (const auto& c : list) total += c.weight;
    int64_t x = static_cast<int64_t>(r.below(static_cast<uint64_t>(total)));
    for (const auto& c : list) {
        if (x < c.weight) return c.name;
        x -= c.weight;
    }
    return list.back().name;
}

void gen_customer(const Tenant& t, uint64_t index, Cust& c) {
    Rng r(t.seed, kStreamCustomer, index);
    const int64_t now = t.now;
    {
        char buf[2 + 16];
        buf[0] = 'w';
        buf[1] = 'm';
        encode_id(buf + 2, mix64(index ^ t.id_noise_key), 5, mix64(index + t.id_key));
        std::memcpy(c.ext, buf, sizeof buf);
    }
    // Gender and name.
    uint64_t g = r.below(1000);
    c.gender = g < 60 ? 0 : g < 420 ? 1 : 2;
    uint64_t nk = r.below(1000);
    if (nk < 4) {
        c.name = kOddNicknames[r.below(kOddNicknames.size())];
    } else if (nk < 420) {
        c.name = kNicknames[r.below(kNicknames.size())];
    } else {
        static const std::vector<uint64_t> sur_cum = [] {
            std::vector<uint64_t> w;
            for (const auto& p : kSurnames) w.push_back(static_cast<uint64_t>(p.weight));
            return cumulative(w);
        }();
        const char* s = kSurnames[pick_cumulative(r, sur_cum)].han;
        const char* g1 = kGiven[r.below(kGiven.size())].han;
        const char* g2 = r.ppm(700000) ? kGiven[r.below(kGiven.size())].han : "";
        size_t n = 0;
        for (const char* p : {s, g1, g2}) {
            size_t l = std::strlen(p);
            std::memcpy(c.namebuf + n, p, l);
            n += l;
        }
        c.name = std::string_view(c.namebuf, n);
    }

    // Relations: the first employee by skewed store popularity (or online staff), more from
    // the same store, customer service or anywhere.
    uint64_t nr = r.below(100);
    int want = nr < 50 ? 1 : nr < 90 ? 2 : 3;
    c.nrel = 0;
    bool online_first = r.ppm(100000);
    int first =
        online_first ? t.online_emps[r.below(t.online_emps.size())] : t.store_emp_ids[pick_cumulative(r, t.store_emp_cum)];
    const Emp& fe = t.emps[static_cast<size_t>(first)];
    c.city = fe.city >= 0 ? fe.city : static_cast<int>(pick_cumulative(r, t.city_cum));
    c.rel[0].emp = first;
    c.nrel = 1;
    for (int k = 1; k < want; ++k) {
        for (int attempt = 0; attempt < 4; ++attempt) {
            uint64_t how = r.below(100);
            int e;
            if (how < 50 && fe.store >= 0 && t.store_members[static_cast<size_t>(fe.store)].size() > 1)
                e = t.store_members[static_cast<size_t>(fe.store)]
                                   [r.below(t.store_members[static_cast<size_t>(fe.store)].size())];
            else if (how < 80) e = t.online_emps[r.below(t.online_emps.size())];
            else e = t.store_emp_ids[pick_cumulative(r, t.store_emp_cum)];
            bool dup = false;
            for (int j = 0; j < c.nrel; ++j) dup |= c.rel[j].emp == e;
            if (!dup) {
                c.rel[c.nrel++].emp = e;
                break;
            }
        }
    }
    // Times: the first relation up to three years back, skewed to recent; later ones after it.
    const int64_t span = 3 * 365 * kDay - 30 * kDay;
    int64_t age;
    if (r.ppm(80000)) age = r.range(600, 30 * kDay - 1);
    else {
        const uint64_t a = r.below(static_cast<uint64_t>(span));
        const uint64_t b = r.below(static_cast<uint64_t>(span));
        age = 30 * kDay + (span - 1 - static_cast<int64_t>(std::max(a, b)));  // max of two: skewed to recent
    }
    for (int k = 0; k < c.nrel; ++k) {
        Rel& rl = c.rel[k];
        rl.ct =
            k == 0 ? now - age : c.rel[0].ct + 60 + static_cast<int64_t>(r.below(static_cast<uint64_t>(now - c.rel[0].ct - 120)));
        rl.del = r.ppm(80000);
        rl.chat = -1;
        if (r.ppm(750000) && now - rl.ct > 120)
            rl.chat = rl.ct + 1 + static_cast<int64_t>(r.below(static_cast<uint64_t>(now - rl.ct - 2)));
        bool online = t.emps[static_cast<size_t>(rl.emp)].store < 0;
        rl.state = pick_channel(r, online ? kOnlineChannels : kStoreChannels);
    }

    // Membership, orders, spend.
    uint64_t lv = r.below(1000000), acc = 0;
    c.level = 4;
    for (int k = 0; k < 5; ++k) {
        acc += kLevelPpm[k];
        if (lv < acc) {
            c.level = k;
            break;
        }
    }
    c.orders = 0;
    c.spend_cents = 0;
    if (!r.ppm(kLevelZeroOrdersPpm[c.level])) {
        c.orders = 1;
        while (c.orders < 20 && r.ppm(400000 + 60000 * static_cast<uint32_t>(c.level))) ++c.orders;
        const int64_t base = kLevelOrderCents[c.level];
        for (int k = 0; k < c.orders; ++k)
            c.spend_cents += base / 3 + static_cast<int64_t>(r.below(static_cast<uint64_t>(base * 4 / 3)));
    }
    c.lastp = -1;
    if (c.orders > 0) c.lastp = now - r.range(3600, 90 * kDay - 1);
    else if (r.ppm(500000)) c.lastp = now - 90 * kDay - r.range(0, 2 * 365 * kDay);
    c.bm = c.bd = 0;
    if (r.ppm(850000)) {
        static const int dim[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        c.bm = static_cast<int>(r.range(1, 12));
        c.bd = static_cast<int>(r.range(1, dim[c.bm - 1]));
    }
    // Lifecycle from the data above.
    int64_t last_chat = -1;
    for (int k = 0; k < c.nrel; ++k) last_chat = std::max(last_chat, c.rel[k].chat);
    if (now - c.rel[0].ct < 30 * kDay) c.life = kNew;
    else if (c.orders >= 2) c.life = kRepeat;
    else if (c.orders == 1) c.life = kActive;
    else if ((c.lastp >= 0 && now - c.lastp < 180 * kDay) || (last_chat >= 0 && now - last_chat < 60 * kDay)) c.life = kDormant;
    else c.life = kLost;

    // Tags per relation: member level, the employee's store, interests (Zipf), lifecycle; 2..5.
    for (int k = 0; k < c.nrel; ++k) {
        Rel& rl = c.rel[k];
        rl.ntag = 0;
        uint32_t fixed[3];
        int nf = 0;
        if (r.ppm(850000)) fixed[nf++] = t.level_tag[c.level];
        uint32_t st = t.emp_store_tag[static_cast<size_t>(rl.emp)];
        if (st != kNoTag && r.ppm(800000)) fixed[nf++] = st;
        if (r.ppm(700000)) fixed[nf++] = t.life_tag[c.life];
        uint64_t ni = r.below(100);
        int n_int = ni < 20 ? 0 : ni < 60 ? 1 : ni < 90 ? 2 : 3;
        n_int = std::max(n_int, 2 - nf);
        n_int = std::min(n_int, 5 - nf);
        uint32_t ints[3];
        int got = 0;
        for (int attempt = 0; attempt < 12 && got < n_int; ++attempt) {
            uint32_t tag = t.interest_tags[pick_cumulative(r, t.interest_cum)];
            bool dup = false;
            for (int j = 0; j < got; ++j) dup |= ints[j] == tag;
            if (!dup) ints[got++] = tag;
        }
        for (size_t x = 0; got < n_int && x < t.interest_tags.size(); ++x) {  // tiny tag sets: fill in order
            bool dup = false;
            for (int j = 0; j < got; ++j) dup |= ints[j] == t.interest_tags[x];
            if (!dup) ints[got++] = t.interest_tags[x];
        }
        // Order: level, store, interests, lifecycle (as an employee would tick them).
        int fi = 0;
        if (nf > 0 && fixed[0] == t.level_tag[c.level]) rl.tags[rl.ntag++] = fixed[fi++];
        if (fi < nf && fixed[fi] == st) rl.tags[rl.ntag++] = fixed[fi++];
        for (int j = 0; j < got; ++j) rl.tags[rl.ntag++] = ints[j];
        while (fi < nf) rl.tags[rl.ntag++] = fixed[fi++];
    }

    // A not-interested tap on one of the customer's employees (1.5%), a quarter of them recent.
    c.ni_rel = -1;
    if (r.ppm(15000) && t.history_days > 0) {
        int k = static_cast<int>(r.below(static_cast<uint64_t>(c.nrel)));
        bool recent = r.ppm(250000);
        int64_t lo = std::max(now - t.history_days * kDay, c.rel[k].ct + 60);
        if (recent) lo = std::max(lo, now - 7 * kDay);
        int64_t hi = now - 60;
        if (lo < hi) {
            c.ni_rel = k;
            c.ni_time = lo + static_cast<int64_t>(r.below(static_cast<uint64_t>(hi - lo)));
        }
    }
}

// The customers' attributes as people name them (docs/attribute-meta.md): display names, types,
// units and the allowed values of the enumerated ones (the levels, the tenant's cities).
void write_attribute_meta(std::string& b, const Tenant& t) {
    static const char* const kLevelsEn[] = {"Regular", "Silver", "Gold", "Diamond", "Black gold"};
    static_assert(sizeof kLevelsEn / sizeof kLevelsEn[0] == 5);
    b += ",\n\"attribute_meta\":{";
    b += "\"spend_90d\":{\"name\":\"近90天消费\",\"name_en\":\"Spend, last 90 days\",\"type\":\"number\",\"unit\":\"元\"}";
    b += ",\"orders_90d\":{\"name\":\"近90天订单数\",\"name_en\":\"Orders, last 90 days\",\"type\":\"number\",\"unit\":\"单\"}";
    b += ",\"member_level\":{\"name\":\"会员等级\",\"name_en\":\"Membership level\",\"type\":\"enum\",\"values\":[";
    for (size_t i = 0; i < kLevels.size(); ++i) {
        b += i ? ",{\"value\":" : "{\"value\":";
        append_quoted(b, kLevels[i]);
        b += ",\"name_en\":";
        append_quoted(b, kLevelsEn[i]);
        b += "}";
    }
    b += "]},\"city\":{\"name\":\"城市\",\"name_en\":\"City\",\"type\":\"enum\",\"values\":[";
    for (size_t i = 0; i < t.cities.size(); ++i) {
        if (i) b.push_back(',');
        append_quoted(b, t.cities[i].name);
    }
    b += "]},\"birthday\":{\"name\":\"生日\",\"name_en\":\"Birthday (MM-DD)\",\"type\":\"string\"}";
    b += ",\"last_purchase\":{\"name\":\"最近购买时间\",\"name_en\":\"Last purchase\",\"type\":\"timestamp\"}}";
}

void write_customer(std::string& b, const Tenant& t, const Cust& c) {
    b += "\n{\"external_userid\":\"";
    b.append(c.ext, sizeof c.ext);
    b += "\",\"name\":";
    append_quoted(b, c.name);
    b += ",\"gender\":";
    b.push_back(static_cast<char>('0' + c.gender));
    b += ",\"attributes\":{\"spend_90d\":";
    append_int(b, c.spend_cents / 100);
    char cents[4] = {'.', static_cast<char>('0' + (c.spend_cents % 100) / 10), static_cast<char>('0' + c.spend_cents % 10), 0};
    b.append(cents, 3);
    b += ",\"orders_90d\":";
    append_int(b, c.orders);
    b += ",\"member_level\":\"";
    b += kLevels[c.level];
    b += "\",\"city\":";
    append_quoted(b, t.cities[static_cast<size_t>(c.city)].name);
    if (c.bm) {
        char bd[48];
        std::snprintf(bd, sizeof bd, ",\"birthday\":\"%02d-%02d\"", c.bm, c.bd);
        b += bd;
    }
    if (c.lastp >= 0) {
        b += ",\"last_purchase\":";
        append_int(b, c.lastp);
    }
    b += "},\"follow_user\":[";
    for (int k = 0; k < c.nrel; ++k) {
        const Rel& rl = c.rel[k];
        if (k) b.push_back(',');
        b += "{\"userid\":";
        b += t.emps[static_cast<size_t>(rl.emp)].q_userid;
        b += ",\"createtime\":";
        append_int(b, rl.ct);
        b += ",\"tag_id\":[";
        for (int j = 0; j < rl.ntag; ++j) {
            if (j) b.push_back(',');
            b += t.tags[rl.tags[j]].q_id;
        }
        b += "],\"state\":";
        append_quoted(b, rl.state);
        b += rl.del ? ",\"deleted\":true" : ",\"deleted\":false";
        if (rl.chat >= 0) {
            b += ",\"last_chat_time\":";
            append_int(b, rl.chat);
        }
        b.push_back('}');
    }
    b += "]}";
}

// ---------------------------------------------------------------- deliveries

struct Candidate {
    int64_t send_time;
    uint32_t camp;
    int32_t emp;
    int64_t time;
};

struct QuotaState {  // one customer's accepted deliveries, by local day
    std::vector<int64_t> ent_moment_days, ent_mass_days, emp_moment_days, mass_days;
    void clear() {
        ent_moment_days.clear();
        ent_mass_days.clear();
        emp_moment_days.clear();
        mass_days.clear();
    }
    static int64_t count_since(const std::vector<int64_t>& v, int64_t from_day) {
        int64_t n = 0;
        for (int64_t d : v) n += d >= from_day;
        return n;
    }
    static bool has(const std::vector<int64_t>& v, int64_t day) { return std::find(v.begin(), v.end(), day) != v.end(); }
    // Strictest reading of the bundled rule sets: employee moments 1/day per customer,
    // enterprise moments and mass sends 4 in any 31 days, and at most 1 mass send (any origin) a day.
    bool accept(bool moment, bool enterprise, int64_t day) {
        if (moment && enterprise) {
            if (count_since(ent_moment_days, day - 30) >= 4) return false;
            ent_moment_days.push_back(day);
        } else if (moment) {
            if (has(emp_moment_days, day)) return false;
            emp_moment_days.push_back(day);
        } else {
            if (has(mass_days, day)) return false;
            if (enterprise && count_since(ent_mass_days, day - 30) >= 4) return false;
            if (enterprise) ent_mass_days.push_back(day);
            mass_days.push_back(day);
        }
        return true;
    }
};

struct NiEvent {
    uint32_t customer;
    int32_t emp;
    int64_t time;
};

// Emits the customer's deliveries; returns how many.
int64_t write_deliveries(std::string& b, bool& first, const Tenant& t, uint64_t index, const Cust& c,
                         std::vector<Candidate>& cands, QuotaState& q) {
    Rng r(t.seed, kStreamDelivery, index);
    cands.clear();
    auto blocked = [&](int emp, int64_t time) {
        return c.ni_rel >= 0 && c.rel[c.ni_rel].emp == emp && time >= c.ni_time && time < c.ni_time + 7 * kDay;
    };
    auto usable = [&](const Rel& rl, bool moment, int64_t send) {
        const Emp& e = t.emps[static_cast<size_t>(rl.emp)];
        return !rl.del && e.active && (!moment || e.moments) && rl.ct < send;
    };
    for (size_t k = 0; k < t.enterprise_camps; ++k) {
        const PastCampaign& pc = t.camps[k];
        if (pc.time <= c.rel[0].ct) continue;  // the customer was not there yet
        int64_t time = pc.time + (pc.moment ? static_cast<int64_t>(r.below(180)) * 60 : 0);
        // Moments show through the first-added eligible employee, mass sends come from the
        // eligible employee who chatted last.
        int best = -1;
        for (int j = 0; j < c.nrel; ++j) {
            const Rel& rl = c.rel[j];
            if (!usable(rl, pc.moment, pc.time) || blocked(rl.emp, time)) continue;
            if (pc.region >= 0 && t.emps[static_cast<size_t>(rl.emp)].region != pc.region) continue;
            if (!pc.tags.empty()) {
                bool hit = false;
                for (int x = 0; x < rl.ntag && !hit; ++x)
                    hit = std::find(pc.tags.begin(), pc.tags.end(), rl.tags[x]) != pc.tags.end();
                if (!hit) continue;
            }
            if (best < 0) {
                best = j;
                continue;
            }
            if (pc.moment ? rl.ct < c.rel[best].ct : std::max(rl.chat, rl.ct) > std::max(c.rel[best].chat, c.rel[best].ct))
                best = j;
        }
        if (best < 0 || !r.ppm(pc.ppm)) continue;
        cands.push_back({pc.time, static_cast<uint32_t>(k), c.rel[best].emp, time});
    }
    for (int j = 0; j < c.nrel; ++j) {
        const Rel& rl = c.rel[j];
        const size_t e = static_cast<size_t>(rl.emp);
        for (uint32_t x = t.emp_camp_begin[e]; x < t.emp_camp_begin[e + 1]; ++x) {
            const PastCampaign& pc = t.camps[t.emp_camp_list[x]];
            if (!usable(rl, pc.moment, pc.time)) continue;
            int64_t time = pc.time + (pc.moment ? static_cast<int64_t>(r.below(120)) * 60 : 0);
            if (blocked(rl.emp, time) || !r.ppm(pc.ppm)) continue;
            cands.push_back({pc.time, t.emp_camp_list[x], rl.emp, time});
        }
    }
    std::sort(cands.begin(), cands.end(), [](const Candidate& x, const Candidate& y) {
        return x.send_time != y.send_time ? x.send_time < y.send_time : x.camp < y.camp;
    });
    q.clear();
    int64_t n = 0;
    auto emit = [&](const PastCampaign& pc, int32_t emp, int64_t time) {
        b += first ? "\n" : ",\n";
        first = false;
        b += pc.prefix;
        b.append(c.ext, sizeof c.ext);
        b += "\",\"userid\":";
        b += t.emps[static_cast<size_t>(emp)].q_userid;
        b += ",\"time\":";
        append_int(b, time);
        b.push_back('}');
        ++n;
    };
    for (const Candidate& cd : cands) {
        const PastCampaign& pc = t.camps[cd.camp];
        if (!q.accept(pc.moment, pc.enterprise, local_day(cd.time))) continue;
        emit(pc, cd.emp, cd.time);
    }
    // The stores' push week: a few customers get two one-to-one mass sends a day from their
    // first live employee this week, up to 7 in the week with what they had. The tenant's
    // real mass-send setting is 7 a week (the presets' daily caps would not have let these
    // through), which the demo's reconciliation (rules_fit) finds in WeCom's results.
    const PastCampaign& push = t.camps[t.weekly_push_camp];
    if (Rng(t.seed, kStreamWeeklyPush, index).ppm(push.ppm)) {
        int live = -1;
        for (int j = 0; j < c.nrel && live < 0; ++j)
            if (usable(c.rel[j], false, push.time)) live = j;
        const int64_t week_start = local_day(push.time);
        int64_t left = 7 - QuotaState::count_since(q.mass_days, week_start);
        for (int64_t day = week_start; live >= 0 && day <= t.today; ++day)
            for (int hour : {11, 16}) {
                const int64_t time = local_time(day, hour, 0);
                if (time >= t.now || left <= 0) continue;
                emit(push, c.rel[live].emp, time);
                --left;
            }
    }
    return n;
}

// ---------------------------------------------------------------- customer groups (客户群)

// What a customer's group memberships depend on, noted while the customers are written.
struct CustomerGroupKey {
    int32_t store = -1;  // store of the first relation's employee (-1: online staff)
    uint8_t level = 0;
    int64_t since = 0;  // first relation's createtime
};

struct ChatGroup {
    std::string chat_id, name;
    int owner = 0, store = -1;
    int status = 0;  // WeCom groupchat/list: 0 normal, 1 owner resigned, 2 transferring, 3 transferred
    int64_t create_time = 0;
    bool vip = false, flash = false;
    std::vector<int> employees;  // type-1 members (the owner first)
    std::vector<std::pair<uint32_t, int64_t>> customers;  // (customer index, join_time)
    int strangers = 0;  // type-2 members who are not customers
};

std::string chat_id_for(const Tenant& t, uint64_t k) {
    char buf[2 + 16];
    buf[0] = 'w';
    buf[1] = 'r';
    encode_id(buf + 2, mix64(k ^ t.id_noise_key ^ 0x6A09E667F3BCC908ull), 5, mix64(k + t.id_key + 0xBB67AE8584CAA73Bull));
    return std::string(buf, sizeof buf);
}

// Store groups sized for 50-500 members (about a third of a store's customers join one),
// a VIP group per store for gold members and above, two flash-sale groups that used the
// whole month's group sends, groups of resigned employees awaiting transfer, and members in
// more than one group of their store.
std::vector<ChatGroup> build_group_chats(const Tenant& t, const std::vector<CustomerGroupKey>& keys) {
    Rng r(t.seed, kStreamGroups, 0);
    std::vector<ChatGroup> groups;
    if (keys.empty()) return groups;
    std::vector<int64_t> store_customers(t.stores.size(), 0);
    for (const CustomerGroupKey& k : keys)
        if (k.store >= 0) ++store_customers[static_cast<size_t>(k.store)];
    std::vector<std::vector<uint32_t>> store_groups(t.stores.size()), store_vip(t.stores.size()), store_flash(t.stores.size());
    for (size_t s = 0; s < t.stores.size(); ++s) {
        const auto& staff = t.store_members[s];
        if (staff.empty() || store_customers[s] == 0) continue;
        const int64_t joining = store_customers[s] * 35 / 100;
        const int64_t n = std::clamp<int64_t>((joining + 199) / 250, 1, static_cast<int64_t>(staff.size()) * 2);
        auto add = [&](std::string name, int owner) {
            ChatGroup g;
            g.chat_id = chat_id_for(t, groups.size());
            g.name = std::move(name);
            g.owner = owner;
            g.store = static_cast<int>(s);
            g.create_time = local_time(t.today - 400 + static_cast<int64_t>(r.below(300)), 10 + static_cast<int>(r.below(10)), 0);
            g.employees.push_back(owner);
            for (int e : staff)
                if (e != owner && g.employees.size() < 3 && r.ppm(300000)) g.employees.push_back(e);
            groups.push_back(std::move(g));
            return static_cast<uint32_t>(groups.size() - 1);
        };
        for (int64_t k = 0; k < n; ++k)
            store_groups[s].push_back(add(t.stores[s].name + "会员福利群" + (n > 1 ? std::to_string(k + 1) : std::string()),
                                          staff[static_cast<size_t>(k) % staff.size()]));
        store_vip[s].push_back(add(t.stores[s].name + "VIP尊享群", staff[0]));
        if (s < 2) {
            const uint32_t f = add(t.stores[s].name + "限时秒杀群", staff[staff.size() > 1 ? 1 : 0]);
            groups[f].flash = true;
            store_flash[s].push_back(f);
        }
    }
    for (auto& list : store_vip)
        for (uint32_t g : list) groups[g].vip = true;
    // Members, customer by customer (one stream per customer: adding customers keeps the others').
    for (size_t i = 0; i < keys.size(); ++i) {
        const CustomerGroupKey& k = keys[i];
        if (k.store < 0) continue;
        const size_t s = static_cast<size_t>(k.store);
        if (store_groups[s].empty()) continue;
        Rng m(t.seed, kStreamGroupMembers, i);
        auto join = [&](uint32_t g) {
            const int64_t from = std::max(k.since, groups[g].create_time);
            const int64_t span = std::max<int64_t>(1, t.now - from);
            groups[g].customers.push_back(
                {static_cast<uint32_t>(i), from + static_cast<int64_t>(m.below(static_cast<uint64_t>(span)))});
        };
        const auto& sg = store_groups[s];
        uint32_t main = UINT32_MAX;
        if (m.ppm(350000)) join(main = sg[m.below(sg.size())]);
        if (m.ppm(120000)) {  // a second group of the store: they will read a store-wide send twice
            const uint32_t other = !store_flash[s].empty() && m.ppm(500000) ? store_flash[s][0] : sg[m.below(sg.size())];
            if (other != main) join(other);
        }
        if (k.level >= 2 && m.ppm(600000)) join(store_vip[s][0]);
    }
    for (ChatGroup& g : groups) {
        g.strangers = static_cast<int>(r.below(6));  // friends of members who are nobody's customer yet
        const Emp& owner = t.emps[static_cast<size_t>(g.owner)];
        if (!owner.active) g.status = r.ppm(750000) ? 1 : 2;  // the owner resigned: awaiting or in transfer
        else if (r.ppm(20000)) g.status = 3;  // transferred to this owner earlier
    }
    return groups;
}

void write_group_chats(std::string& b, const Tenant& t, const std::vector<ChatGroup>& groups, int64_t& memberships) {
    for (size_t k = 0; k < groups.size(); ++k) {
        const ChatGroup& g = groups[k];
        b += k ? ",\n{\"chat_id\":\"" : "\n{\"chat_id\":\"";
        b += g.chat_id;
        b += "\",\"name\":";
        append_quoted(b, g.name);
        b += ",\"owner\":";
        b += t.emps[static_cast<size_t>(g.owner)].q_userid;
        b += ",\"status\":";
        append_int(b, g.status);
        b += ",\"create_time\":";
        append_int(b, g.create_time);
        b += ",\"members\":[";
        bool first = true;
        auto sep = [&] {
            if (!first) b.push_back(',');
            first = false;
        };
        for (int e : g.employees) {
            sep();
            b += "{\"type\":1,\"userid\":";
            b += t.emps[static_cast<size_t>(e)].q_userid;
            b += ",\"join_time\":";
            append_int(b, g.create_time);
            b += "}";
        }
        for (const auto& [c, join] : g.customers) {
            sep();
            b += "{\"type\":2,\"external_userid\":\"";
            b += ext_userid(t, c);
            b += "\",\"join_time\":";
            append_int(b, join);
            b += "}";
        }
        for (int x = 0; x < g.strangers; ++x) {
            sep();
            b += "{\"type\":2,\"external_userid\":\"wmStranger";
            b += g.chat_id.substr(2, 8);
            append_int(b, x);
            b += "\",\"join_time\":";
            append_int(b, g.create_time + 3600 * (x + 1));
            b += "}";
        }
        memberships += static_cast<int64_t>(g.employees.size() + g.customers.size()) + g.strangers;
        b += "]}";
    }
}

// Group-send history: a weekly enterprise send into every group, the owners' own sends one or
// two times a week, and the flash-sale groups' three a day for the first ten days of this
// month (all of its "days of the month" slots). Each group stays within WeCom's monthly cap.
int64_t write_group_deliveries(std::string& b, bool& first, const Tenant& t, const std::vector<ChatGroup>& groups) {
    int64_t n = 0;
    const Civil today = civil_from_days(t.today);
    const int64_t month_first = day_of_date(today.y, static_cast<int>(today.m), 1);
    auto put = [&](const std::string& campaign, bool enterprise, const ChatGroup& g, int64_t time) {
        b += first ? "\n{\"campaign_id\":" : ",\n{\"campaign_id\":";
        first = false;
        append_quoted(b, campaign);
        b += enterprise ? ",\"kind\":\"group_send\",\"origin\":\"enterprise\",\"chat_id\":\""
                        : ",\"kind\":\"group_send\",\"origin\":\"employee\",\"chat_id\":\"";
        b += g.chat_id;
        b += "\",\"userid\":";
        b += t.emps[static_cast<size_t>(g.owner)].q_userid;
        b += ",\"time\":";
        append_int(b, time);
        b += "}";
        ++n;
    };
    auto can_post = [&](const ChatGroup& g, int64_t time) { return g.status != 1 && g.status != 2 && time > g.create_time; };
    for (int64_t day = t.today - t.history_days; day < t.today; ++day) {
        const bool flash_month = day >= month_first;
        if (weekday(day) == 5) {  // Fridays 20:00: the weekly enterprise send
            const int64_t time = local_time(day, 20, 0);
            for (const ChatGroup& g : groups)
                if (can_post(g, time) && !(g.flash && flash_month)) put("社群周报-" + mmdd(day), true, g, time);
        }
        for (size_t k = 0; k < groups.size(); ++k) {
            const ChatGroup& g = groups[k];
            if (g.flash && flash_month) {
                if (day - month_first < 10)
                    for (int h : {10, 15, 20}) put("秒杀快讯-" + mmdd(day), false, g, local_time(day, h, 0));
                continue;
            }
            Rng r(t.seed, kStreamGroups, 1 + k * 4096 + static_cast<uint64_t>(day - t.today + 4000));
            const int64_t time = local_time(day, 12 + static_cast<int>(r.below(9)), 0);
            if (r.ppm(200000) && can_post(g, time))
                put("群福利-" + t.emps[static_cast<size_t>(g.owner)].userid + "-" + mmdd(day), false, g, time);
        }
    }
    return n;
}

// ---------------------------------------------------------------- campaign documents

J image(const std::string& name, int64_t bytes, int64_t w, int64_t h) {
    return jo({{"msgtype", js("image")},
               {"image", jo({{"name", js(name)}, {"bytes", ji(bytes)}, {"width", ji(w)}, {"height", ji(h)}})}});
}
J video(const std::string& name, int64_t bytes, int64_t seconds) {
    return jo({{"msgtype", js("video")}, {"video", jo({{"name", js(name)}, {"bytes", ji(bytes)}, {"seconds", ji(seconds)}})}});
}
J link(const std::string& title, const std::string& url, const std::string& desc) {
    return jo({{"msgtype", js("link")}, {"link", jo({{"title", js(title)}, {"url", js(url)}, {"desc", js(desc)}})}});
}
J miniprogram(const std::string& title, const std::string& appid, const std::string& page) {
    return jo(
        {{"msgtype", js("miniprogram")}, {"miniprogram", jo({{"title", js(title)}, {"appid", js(appid)}, {"page", js(page)}})}});
}
J file(const std::string& name, int64_t bytes) {
    return jo({{"msgtype", js("file")}, {"file", jo({{"name", js(name)}, {"bytes", ji(bytes)}})}});
}

J campaign(bool with_format, const std::string& id, bool moment, bool enterprise, int64_t send_time,
           const std::vector<std::string>& users, const std::vector<int64_t>& depts, J audience, const std::string& text,
           std::vector<J> attachments) {
    J c = jo();
    auto put = [&](const char* k, J v) {
        c.keys.push_back(k);
        c.items.push_back(std::move(v));
    };
    if (with_format) put("format", js("reachlens.campaign/1"));
    put("id", js(id));
    put("kind", js(moment ? "moment" : "mass_send"));
    put("origin", js(enterprise ? "enterprise" : "employee"));
    put("send_time", ji(send_time));
    put("senders", jo({{"user_list", jstrs(users)}, {"department_list", jints(depts)}}));
    put("audience", std::move(audience));
    put("content", jo({{"text", js(text)}, {"attachments", ja(std::move(attachments))}}));
    return c;
}
J tag_list(const std::vector<std::string>& ids) { return jo({{"tag_list", jstrs(ids)}}); }
// A mass-send document made a customer-group send (contract 8) to the given groups (empty: all of the senders').
J as_group_send(J c, const std::vector<std::string>& chat_list) {
    for (size_t k = 0; k < c.keys.size(); ++k) {
        if (c.keys[k] == "kind") c.items[k] = js("group_send");
        if (c.keys[k] == "audience") c.items[k] = jo({{"chat_list", jstrs(chat_list)}});
    }
    return c;
}
J filter(J e) { return jo({{"filter", std::move(e)}}); }
J op(const char* name, J v) { return jo({{name, std::move(v)}}); }
J attr(const char* name, const char* o, J value) { return jo({{"attr", js(name)}, {"op", js(o)}, {"value", std::move(value)}}); }
J attr_exists(const char* name) { return jo({{"attr", js(name)}, {"op", js("exists")}}); }
J received(const char* kind, int64_t days, int64_t min) {
    return op("received", jo({{"kind", js(kind)}, {"within_days", ji(days)}, {"min", ji(min)}}));
}

// Senders that make an employee campaign meaningful: active, moments on, many customers.
void rank_senders(Tenant& t) {
    std::vector<std::pair<uint64_t, int>> v;
    for (size_t k = 0; k < t.store_emp_ids.size(); ++k) {
        const Emp& e = t.emps[static_cast<size_t>(t.store_emp_ids[k])];
        if (!e.active || !e.moments) continue;
        uint64_t w = t.store_emp_cum[k] - (k ? t.store_emp_cum[k - 1] : 0);
        v.push_back({w, t.store_emp_ids[k]});
    }
    std::sort(v.begin(), v.end(),
              [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    for (const auto& p : v) t.busiest.push_back(p.second);
    if (t.busiest.empty()) t.busiest.push_back(t.store_emp_ids.front());
}
int busiest_employee(const Tenant& t, int rank) { return t.busiest[static_cast<size_t>(rank) % t.busiest.size()]; }

const std::string& tag_id(const Tenant& t, uint32_t idx) { return t.tags[idx].id; }
std::string interest_id(const Tenant& t, size_t rank) {
    return tag_id(t, t.interest_tags[std::min(rank, t.interest_tags.size() - 1)]);
}

struct Draft {
    std::string file;
    J doc;
};

std::vector<Draft> build_drafts(const Tenant& t) {
    const int64_t tomorrow10 = local_time(t.today + 1, 10, 0);
    const std::string& B = t.brand;
    std::vector<Draft> d;
    const Emp& e1 = t.emps[static_cast<size_t>(busiest_employee(t, 0))];
    const Emp& e2 = t.emps[static_cast<size_t>(busiest_employee(t, 1))];
    auto lv = [&](int k) { return tag_id(t, t.level_tag[k]); };
    auto life = [&](int k) { return tag_id(t, t.life_tag[k]); };

    d.push_back(
        {"01-moment-enterprise.json",
         campaign(
             true, "draft-moment-enterprise-1121", true, true, tomorrow10, {}, {1}, tag_list({}),
             "🍂" + B +
                 "秋冬焕新季｜双11返场最后3天！\n全场满299减50，会员再叠95折🎁\n到店还可领取限量保温杯，先到先得～👉戳图看详情",
             {image("返场主图-1.jpg", 864213, 1080, 1080), image("返场主图-2.jpg", 912377, 1080, 1350),
              image("返场主图-3.jpg", 705644, 1080, 1080)})});
    d.push_back(
        {"02-moment-employee-link.json",
         campaign(true, "draft-moment-employee-1121", true, false, tomorrow10 + 2 * 3600, {e1.userid}, {}, tag_list({}),
                  "亲爱的，我是你的专属导购" + e1.name +
                      "😊 今天店里到了好多新款羽绒服，轻薄又保暖，热门色我先帮你留了几件～点链接先看看，喜欢随时找我预留哦💕",
                  {link("秋冬新款羽绒服｜轻薄保暖", "https://shop.example.com/p/down-jacket-2026?from=wecom_moment",
                        "90%白鸭绒，三色可选，会员价699元起")})});
    J six = op("all", ja({op("tags_any", jstrs({lv(1), lv(2), lv(3), lv(4)})), op("tags_none", jstrs({life(kLost)})),
                          attr("spend_90d", "gte", ji(500)), attr("city", "in", jstrs({"上海", "杭州", "南京"})),
                          op("added_within_days", ji(1000)), op("not", received("mass_send", 7, 1))}));
    d.push_back(
        {"03-mass-send-6-clause.json",
         campaign(true, "draft-mass-send-6-clause-1121", false, true, tomorrow10, {}, {1}, filter(std::move(six)),
                  "【" + B +
                      "】尊敬的会员您好🎉 "
                      "感谢您近期的支持！\n专属回馈：满500减80券已放入您的账户，11月30日前有效。\n点击下方小程序即可使用👇",
                  {miniprogram("领取满500减80券", "wx8f3c2a1b9d4e5f60", "pages/coupon/index?cid=vip1121"),
                   image("会员回馈海报.jpg", 1245780, 1080, 1440)})});
    J emp_filter =
        op("all",
           ja({op("any", ja({op("tags_any", jstrs({interest_id(t, 0), interest_id(t, 1)})), attr("orders_90d", "gte", ji(2))})),
               op("gender", ji(2)), op("not_interested_active", jb(false))}));
    d.push_back({"04-mass-send-employee.json",
                 campaign(true, "draft-mass-send-employee-1121", false, false, tomorrow10 + 9 * 3600, {e2.userid}, {},
                          filter(std::move(emp_filter)),
                          "姐妹们～新到的保湿精华水来啦💧 买一送一仅限本周末，库存不多，需要的回复\"1\"我帮你预留哦！",
                          {image("精华水实拍.jpg", 532100, 1080, 1080),
                           miniprogram("保湿精华水 买一送一", "wx8f3c2a1b9d4e5f60", "pages/goods/detail?sku=HY1203")})});
    const int64_t east = t.regions.empty() ? 1 : t.regions[0].dept;
    d.push_back(
        {"05-moment-tag-list.json", campaign(true, "draft-moment-tags-1121", true, true, tomorrow10 + 8 * 3600, {}, {east},
                                             tag_list({interest_id(t, 3), interest_id(t, 17), lv(2)}),
                                             "🏃‍♀️运动季来了！" + B +
                                                 "联名运动系列上新，透气速干，出街健身都好看～\n视频带你看细节👀 到店试穿再享9折",
                                             {video("运动系列上新-15s.mp4", 8123456, 15)})});
    J vip =
        op("all",
           ja({op("tag_filter",
                  ja({jstrs({lv(2), lv(3), lv(4)}), jstrs({interest_id(t, 0), interest_id(t, 1), interest_id(t, 5)})})),
               attr("last_purchase", "within_days", ji(60)), attr_exists("birthday"), op("not_interested_active", jb(false))}));
    d.push_back(
        {"06-mass-send-vip.json",
         campaign(
             true, "draft-mass-send-vip-1121", false, true, tomorrow10 + 10 * 3600, {}, {1}, filter(std::move(vip)),
             "💎" + B +
                 "金卡及以上会员专属：年终答谢会邀请函📮\n12月6日 晚7点，新品抢先体验+专属礼遇，名额有限，回复“1”为您锁定席位✨",
             {file("年终答谢会活动详情.pdf", 2456789),
              link("年终答谢会报名", "https://shop.example.com/event/vip-night-2026", "12月6日 19:00 · 上海静安旗舰店")})});
    d.push_back(
        {"07-group-send.json",
         as_group_send(
             campaign(
                 true, "draft-group-send-1121", false, true, tomorrow10 + 9 * 3600, {}, {1}, jo(),
                 "【" + B + "社群专享】今晚8点群内秒杀开抢⏰ 爆款羽绒服直降200元，每人限购1件！\n点击小程序提前加购，开抢不迷路👇",
                 {miniprogram("社群秒杀 今晚8点开抢", "wx8f3c2a1b9d4e5f60", "pages/flash/index?from=group1121"),
                  image("社群秒杀海报.jpg", 688210, 1080, 1440)}),
             {})});
    return d;
}

// One scheduled group send: the enterprise's weekend pre-sale into every store group of the
// first region, the day after tomorrow at 20:00 (it competes with a group-send draft for slots).
J scheduled_group_send(const Tenant& t, const std::vector<ChatGroup>& groups, std::set<std::string>& ids) {
    const int64_t day = t.today + 2;
    std::string id = "周末预售-社群-" + mmdd(day);
    for (int n = 2; !ids.insert(id).second; ++n) id = "周末预售-社群-" + mmdd(day) + "-" + std::to_string(n);
    std::vector<std::string> chats;
    const int region = t.regions.empty() ? -1 : 0;
    for (const ChatGroup& g : groups)
        if (g.store >= 0 && t.stores[static_cast<size_t>(g.store)].region == region && !g.vip) chats.push_back(g.chat_id);
    std::sort(chats.begin(), chats.end());
    return as_group_send(
        campaign(false, id, false, true, local_time(day, 20, 0), {}, {1}, jo(),
                 "【" + t.brand +
                     "】周末预售开启🛍️ 群内专享定金膨胀，50抵100！点击小程序立即锁定优惠～",
                 {miniprogram("周末预售 定金膨胀", "wx8f3c2a1b9d4e5f60", "pages/presale/index?from=group")}),
        chats);
}

std::vector<J> build_scheduled(const Tenant& t, int count, std::set<std::string>& ids) {
    Rng r(t.seed, kStreamScheduled, 0);
    const std::string& B = t.brand;
    static const char* const moment_texts[] = {
        "✨{B}冬季新品首发｜羊绒系列温柔上线，柔软亲肤不扎人～到店试穿送定制围巾🧣",
        "☕️周末来店里坐坐吧！{B}会员日咖啡第二杯半价，还有新品香氛免费试闻🌿",
        "🎄圣诞礼盒预售开启！{B}限定包装+手写贺卡，送礼不踩雷🎁 提前预定享早鸟价",
        "🧴换季护肤攻略来啦｜干皮油皮都有对应方案，评论区告诉我你的肤质，帮你搭配💬",
    };
    static const char* const mass_texts[] = {
        "【{B}】您的专属福利已到账🎁 满200减30券，本周日前有效，点击小程序领取使用～",
        "亲爱的会员，{B}双12预热开始啦🔥 提前加购享定金翻倍，戳下方链接查看爆款清单👇",
        "天气转凉，记得添衣保暖哦🍵 {B}为您准备了冬季暖心礼，到店出示此消息即可领取",
        "【{B}】生日月专属礼遇🎂 本月消费享双倍积分，另有神秘礼物等您到店领取～",
    };
    auto fill = [&](const char* tmpl) {
        std::string s = tmpl;
        size_t p;
        while ((p = s.find("{B}")) != std::string::npos) s.replace(p, 3, B);
        return s;
    };
    std::vector<std::pair<int64_t, J>> out;
    for (int k = 0; k < count; ++k) {
        const int type = k % 4;  // enterprise moment, enterprise mass send, employee moment, employee mass send
        const bool moment = type == 0 || type == 2, enterprise = type < 2;
        int64_t day = t.today + r.range(1, 10);
        static const int hours[] = {10, 12, 19, 20};
        const int hour = hours[r.below(4)];  // one draw per statement: argument order is unspecified
        const int minute = static_cast<int>(r.below(4)) * 15;
        int64_t send = local_time(day, hour, minute);
        std::string id = theme_for(day) + (moment ? "-朋友圈-" : "-群发-") + mmdd(day);
        for (int n = 2; !ids.insert(id).second; ++n)
            id = theme_for(day) + (moment ? "-朋友圈-" : "-群发-") + mmdd(day) + "-" + std::to_string(n);
        std::vector<std::string> users;
        std::vector<int64_t> depts;
        if (enterprise) {
            if (r.ppm(300000) || t.regions.empty()) depts.push_back(1);
            else depts.push_back(t.regions[r.below(t.regions.size())].dept);
        } else {
            users.push_back(t.emps[static_cast<size_t>(busiest_employee(t, static_cast<int>(r.below(20))))].userid);
        }
        J audience;
        std::vector<J> att;
        std::string text;
        if (moment) {
            std::vector<std::string> tl;
            int n = static_cast<int>(r.range(0, 3));
            for (int j = 0; j < n; ++j) {
                std::string id2 = r.ppm(300000) ? tag_id(t, t.level_tag[r.range(1, 4)]) : interest_id(t, r.below(20));
                if (std::find(tl.begin(), tl.end(), id2) == tl.end()) tl.push_back(id2);
            }
            audience = tag_list(tl);
            text = fill(moment_texts[r.below(4)]);
            int imgs = static_cast<int>(r.range(1, 4));
            for (int j = 0; j < imgs; ++j)
                att.push_back(image("海报-" + mmdd(day) + "-" + std::to_string(j + 1) + ".jpg", r.range(200000, 2000000), 1080,
                                    j % 2 ? 1350 : 1080));
        } else {
            J e;
            switch (r.below(6)) {
                case 0:
                    e = op("all", ja({op("tags_any", jstrs({tag_id(t, t.level_tag[2]), tag_id(t, t.level_tag[3])})),
                                      op("not_interested_active", jb(false))}));
                    break;
                case 1:
                    e = op("any",
                           ja({op("tags_all", jstrs({interest_id(t, 0), interest_id(t, 2)})), attr("orders_90d", "gt", ji(3))}));
                    break;
                case 2:
                    e = op("all", ja({op("added_within_days", ji(30)), op("not", received("any", 3, 1)),
                                      attr("member_level", "ne", js("黑金会员"))}));
                    break;
                case 3:
                    e = op("all",
                           ja({op("department", jints({t.regions.empty() ? 1 : t.regions[r.below(t.regions.size())].dept})),
                               attr("spend_90d", "lt", ji(100)), attr_exists("last_purchase")}));
                    break;
                case 4:
                    e = op("any", ja({attr("member_level", "contains", js("金")), attr("orders_90d", "lte", ji(0)),
                                      attr("city", "eq", js("上海"))}));
                    break;
                default: {
                    std::vector<std::string> named;  // a hand-picked list of existing customers
                    for (int64_t x = 0; x < std::min<int64_t>(3, t.customers); ++x)
                        named.push_back(ext_userid(t, static_cast<uint64_t>(x)));
                    if (named.empty()) e = op("gender", ji(2));
                    else e = op("all", ja({op("customers", jstrs(named)), attr("spend_90d", "gt", ji(0))}));
                    break;
                }
            }
            if (!enterprise) e = op("all", ja({op("owner", jstrs(users)), std::move(e)}));
            audience = filter(std::move(e));
            text = fill(mass_texts[r.below(4)]);
            att.push_back(miniprogram("会员福利中心", "wx8f3c2a1b9d4e5f60", "pages/member/index?from=mass" + mmdd(day)));
        }
        out.push_back(
            {send, campaign(false, id, moment, enterprise, send, users, depts, std::move(audience), text, std::move(att))});
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<J> v;
    for (auto& p : out) v.push_back(std::move(p.second));
    return v;
}

}  // namespace

GenerateReport generate_tenant(const GenerateOptions& options) {
    if (options.customers < 0 || options.customers > (int64_t{1} << 31))
        throw std::invalid_argument("generate_tenant: customers must be between 0 and 2^31, got " +
                                    std::to_string(options.customers));
    if (options.history_days < 0 || options.history_days > 3650)
        throw std::invalid_argument("generate_tenant: history_days must be between 0 and 3650");
    if (options.scheduled_campaigns < 0 || options.scheduled_campaigns > 10000)
        throw std::invalid_argument("generate_tenant: scheduled_campaigns must be between 0 and 10000");
    if (options.out_dir.empty()) throw std::invalid_argument("generate_tenant: out_dir is empty");

    namespace fs = std::filesystem;
    const fs::path dir(options.out_dir);
    const fs::path camp_dir = dir / "campaigns";
    std::error_code ec;
    fs::create_directories(camp_dir, ec);
    if (ec) throw std::runtime_error("generate_tenant: cannot create directory '" + camp_dir.string() + "': " + ec.message());

    Tenant t;
    t.seed = options.seed;
    t.today = local_day(t.now);
    t.history_days = options.history_days;
    t.customers = options.customers;
    t.id_key = mix64(options.seed ^ 0x5EED5EED0001ull);
    t.id_noise_key = mix64(options.seed ^ 0x5EED5EED0002ull);
    build_org(t, options.customers);
    build_tags(t, options.tag_count);
    build_past_campaigns(t);
    rank_senders(t);

    GenerateReport rep;
    rep.employees = static_cast<int64_t>(t.emps.size());
    rep.customers = options.customers;
    rep.dataset_path = (dir / "dataset.json").string();

    std::set<std::string> campaign_ids;
    for (const auto& c : t.camps) campaign_ids.insert(c.id);
    std::vector<J> scheduled = build_scheduled(t, options.scheduled_campaigns, campaign_ids);
    std::vector<ChatGroup> group_chats;

    {
        Writer w(rep.dataset_path);
        std::string& b = w.buf();
        b += "{\"format\":\"reachlens.dataset/1\",\"enterprise\":{\"corp_name\":";
        append_quoted(b, t.corp_name);
        b += ",\"industry\":\"retail\",\"verified\":true,\"tz_offset_minutes\":";
        append_int(b, kTzMinutes);
        b += "},\"now\":";
        append_int(b, t.now);
        write_attribute_meta(b, t);
        b += ",\n\"departments\":[";
        for (size_t k = 0; k < t.departments.size(); ++k) {
            b += k ? ",\n{\"id\":" : "\n{\"id\":";
            append_int(b, t.departments[k].first);
            b += ",\"name\":";
            append_quoted(b, t.departments[k].second.first);
            b += ",\"parentid\":";
            append_int(b, t.departments[k].second.second);
            b += "}";
            w.maybe_flush();
        }
        b += "],\n\"employees\":[";
        for (size_t k = 0; k < t.emps.size(); ++k) {
            const Emp& e = t.emps[k];
            b += k ? ",\n{\"userid\":" : "\n{\"userid\":";
            b += e.q_userid;
            b += ",\"name\":";
            append_quoted(b, e.name);
            b += ",\"department\":[";
            for (size_t j = 0; j < e.depts.size(); ++j) {
                if (j) b.push_back(',');
                append_int(b, e.depts[j]);
            }
            b += e.active ? "],\"status\":\"active\"" : "],\"status\":\"resigned\"";
            b += e.moments ? ",\"moments_enabled\":true" : ",\"moments_enabled\":false";
            b += ",\"position\":";
            append_quoted(b, e.position);
            b += "}";
            w.maybe_flush();
        }
        b += "],\n\"tag_groups\":[";
        for (size_t g = 0; g < t.groups.size(); ++g) {
            b += g ? ",\n{\"group_id\":" : "\n{\"group_id\":";
            append_quoted(b, t.groups[g].id);
            b += ",\"group_name\":";
            append_quoted(b, t.groups[g].name);
            b += ",\"tags\":[";
            for (size_t k = 0; k < t.groups[g].tags.size(); ++k) {
                const TagRec& tr = t.tags[t.groups[g].tags[k]];
                b += k ? ",{\"id\":" : "{\"id\":";
                b += tr.q_id;
                b += ",\"name\":";
                append_quoted(b, tr.name);
                b += "}";
            }
            b += "]}";
            w.maybe_flush();
        }
        b += "],\n\"customers\":[";
        Cust c;
        std::vector<CustomerGroupKey> group_keys(static_cast<size_t>(options.customers));
        for (int64_t i = 0; i < options.customers; ++i) {
            gen_customer(t, static_cast<uint64_t>(i), c);
            if (i) b.push_back(',');
            write_customer(b, t, c);
            rep.relations += c.nrel;
            if (c.nrel > 0) {
                const Emp& owner = t.emps[static_cast<size_t>(c.rel[0].emp)];
                group_keys[static_cast<size_t>(i)] = {owner.store, static_cast<uint8_t>(c.level), c.rel[0].ct};
            }
            w.maybe_flush();
        }
        group_chats = build_group_chats(t, group_keys);
        group_keys = {};
        b += "],\n\"groupchats\":[";
        write_group_chats(b, t, group_chats, rep.group_members);
        rep.groups = static_cast<int64_t>(group_chats.size());
        w.maybe_flush();
        b += "],\n\"deliveries\":[";
        std::vector<Candidate> cands;
        QuotaState q;
        std::vector<NiEvent> events;
        bool first = true;
        for (int64_t i = 0; i < options.customers; ++i) {
            gen_customer(t, static_cast<uint64_t>(i), c);
            if (c.ni_rel >= 0) events.push_back({static_cast<uint32_t>(i), c.rel[c.ni_rel].emp, c.ni_time});
            rep.deliveries += write_deliveries(b, first, t, static_cast<uint64_t>(i), c, cands, q);
            w.maybe_flush();
        }
        rep.group_deliveries = write_group_deliveries(b, first, t, group_chats);
        b += "],\n\"not_interested\":[";
        for (size_t k = 0; k < events.size(); ++k) {
            b += k ? ",\n{\"external_userid\":\"" : "\n{\"external_userid\":\"";
            b += ext_userid(t, events[k].customer);
            b += "\",\"userid\":";
            b += t.emps[static_cast<size_t>(events[k].emp)].q_userid;
            b += ",\"time\":";
            append_int(b, events[k].time);
            b += "}";
            w.maybe_flush();
        }
        rep.not_interested = static_cast<int64_t>(events.size());
        b += "],\n\"scheduled\":[";
        if (!group_chats.empty() && options.scheduled_campaigns > 0) {
            J group_send = scheduled_group_send(t, group_chats, campaign_ids);
            const int64_t send = local_time(t.today + 2, 20, 0);
            // Keep the list in send-time order, as build_scheduled leaves it.
            auto at = std::find_if(scheduled.begin(), scheduled.end(), [&](const J& c) {
                for (size_t k = 0; k < c.keys.size(); ++k)
                    if (c.keys[k] == "send_time") return c.items[k].i > send;
                return false;
            });
            scheduled.insert(at, std::move(group_send));
        }
        for (size_t k = 0; k < scheduled.size(); ++k) {
            b += k ? ",\n" : "\n";
            dump(scheduled[k], b, -1, 0);
        }
        b += "]}\n";
        rep.bytes_written += w.close();
    }

    for (Draft& d : build_drafts(t)) {
        std::string path = (camp_dir / d.file).string();
        Writer w(path);
        dump(d.doc, w.buf(), 2, 0);
        w.buf().push_back('\n');
        rep.bytes_written += w.close();
        rep.campaign_paths.push_back(path);
    }
    return rep;
}

}  // namespace rl
