//! A deterministic synthetic corpus, shaped like real news data, for benchmarks and load tests.
//!
//! `briefing-bot gen-corpus --articles N --seed S --out DIR` writes one article file per article;
//! the benchmarks build the same articles in memory. Real corpora are what make search slow or
//! fast, so the generator imitates them where it matters to the index: names in several naming
//! traditions (Chinese, Persian, Russian, Arabic, English) with transliterations, native-script
//! forms, name orders, surname-only and titled aliases; a few people who recur in many articles
//! and many who appear once; roles that change between articles; statements of realistic length
//! about shared topics. Every output passes `briefing-bot check` with no warnings: no two people
//! share a name.
//!
//! The same seed gives the same corpus on every machine: the PRNG is a local splitmix64, and no
//! hash-map order reaches the output.

use std::collections::HashSet;
use std::path::Path;

use crate::article::{
    Article, Byline, ContextItem, Event, Participant, Related, Statement, StatementKind,
};
use crate::normalize::fold;

/// How big a corpus to make, and how dense each article is.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub articles: usize,
    /// Distinct people; every one appears in at least one article.
    pub people: usize,
    /// Participants per article, inclusive range.
    pub participants: (usize, usize),
    /// Statements per article, inclusive range.
    pub statements: (usize, usize),
    /// Context items per article, inclusive range.
    pub context: (usize, usize),
}

impl Shape {
    /// A corpus of `articles` articles as a newsroom would have it: about 1.6 distinct people per
    /// article (most people appear once, a few in hundreds of articles), 3 to 8 participants,
    /// 4 to 12 statements and 2 to 6 context items each.
    pub fn articles(articles: usize) -> Shape {
        Shape {
            articles,
            people: (articles * 8 / 5).max(1),
            participants: (3, 8),
            statements: (4, 12),
            context: (2, 6),
        }
    }

    /// The shape `gen-corpus` writes: `articles` newsroom articles ([`Shape::articles`]) with
    /// `people` distinct people spread over them (each article holding enough participants for
    /// every one to appear), or just `people` ([`Shape::people`]); `None` when neither is given.
    pub fn spread(articles: Option<usize>, people: Option<usize>) -> Option<Shape> {
        match (articles, people) {
            (Some(articles), Some(people)) => {
                let articles = articles.max(1);
                let base = Shape::articles(articles);
                let need = people.div_ceil(articles);
                Some(Shape {
                    people: people.max(1),
                    participants: (base.participants.0.max(need), base.participants.1.max(need)),
                    ..base
                })
            }
            (Some(articles), None) => Some(Shape::articles(articles)),
            (None, Some(people)) => Some(Shape::people(people)),
            (None, None) => None,
        }
    }

    /// Just enough articles to hold `people` distinct people, each article light (a few
    /// participants, one statement, one context item): for benchmarking the person index at
    /// sizes where a full corpus would be mostly text nobody searches.
    pub fn people(people: usize) -> Shape {
        Shape {
            articles: people.div_ceil(4).max(1),
            people,
            participants: (5, 5),
            statements: (1, 1),
            context: (1, 1),
        }
    }
}

/// A small, fast, seedable PRNG (splitmix64): good enough for test data, and no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, (low, high): (usize, usize)) -> usize {
        low + self.below(high.saturating_sub(low) + 1)
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index in `0..n` skewed towards 0 (roughly Zipf): a few items are picked very often.
    pub fn skewed(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        // n^u - 1 is log-uniform over 0..n: item i is picked with probability about 1/(i+1).
        let i = ((n as f64 + 1.0).powf(u) - 1.0) as usize;
        i.min(n - 1)
    }
}

/// One generated person, before articles give them roles.
#[derive(Debug, Clone)]
struct PersonSeed {
    id: String,
    name: String,
    aliases: Vec<String>,
    culture: Culture,
    role: usize,
    country: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Culture {
    Chinese,
    Persian,
    Russian,
    Arabic,
    English,
}

// Name parts as (Latin, native script). Sources: common names of each tradition.
#[rustfmt::skip]
const CN_SURNAMES: &[(&str, &str)] = &[
    ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Yang", "杨"),
    ("Huang", "黄"), ("Zhao", "赵"), ("Wu", "吴"), ("Zhou", "周"), ("Xu", "徐"), ("Sun", "孙"),
    ("Ma", "马"), ("Zhu", "朱"), ("Hu", "胡"), ("Guo", "郭"), ("He", "何"), ("Lin", "林"), ("Gao", "高"),
    ("Luo", "罗"), ("Zheng", "郑"), ("Liang", "梁"), ("Xie", "谢"), ("Song", "宋"), ("Tang", "唐"),
    ("Han", "韩"), ("Feng", "冯"), ("Deng", "邓"), ("Cao", "曹"), ("Peng", "彭"), ("Zeng", "曾"),
    ("Xiao", "肖"), ("Tian", "田"), ("Dong", "董"), ("Pan", "潘"), ("Yuan", "袁"), ("Cai", "蔡"),
    ("Jiang", "蒋"), ("Yu", "于"), ("Du", "杜"), ("Ye", "叶"), ("Cheng", "程"), ("Wei", "魏"),
    ("Su", "苏"), ("Lu", "卢"), ("Ding", "丁"), ("Ren", "任"), ("Shen", "沈"), ("Yao", "姚"),
    ("Mao", "毛"), ("Qin", "秦"), ("Fu", "傅"), ("Fang", "方"), ("Bai", "白"), ("Cui", "崔"),
    ("Kang", "康"), ("Qiu", "邱"), ("Jia", "贾"), ("Xue", "薛"), ("Lei", "雷"),
];
#[rustfmt::skip]
const CN_SYLLABLES: &[(&str, &str)] = &[
    ("zhao", "朝"), ("xu", "旭"), ("ning", "宁"), ("zhong", "中"), ("min", "民"), ("wei", "伟"),
    ("jun", "军"), ("hua", "华"), ("ming", "明"), ("li", "丽"), ("qiang", "强"), ("lei", "磊"),
    ("yang", "洋"), ("yong", "勇"), ("jie", "杰"), ("tao", "涛"), ("chao", "超"), ("xiu", "秀"),
    ("ying", "英"), ("hui", "慧"), ("jing", "静"), ("yan", "燕"), ("fang", "芳"), ("hong", "红"),
    ("gang", "刚"), ("ping", "平"), ("hai", "海"), ("bo", "波"), ("xin", "新"), ("dong", "东"),
    ("guo", "国"), ("jian", "建"), ("wen", "文"), ("feng", "峰"), ("liang", "亮"), ("cheng", "成"),
    ("yi", "毅"), ("kai", "凯"), ("rui", "瑞"), ("xiang", "翔"), ("peng", "鹏"), ("fei", "飞"),
    ("zhi", "志"), ("long", "龙"), ("shan", "山"), ("yu", "宇"), ("hao", "浩"), ("tian", "天"),
    ("chun", "春"), ("qiu", "秋"), ("lan", "兰"), ("mei", "梅"), ("xia", "霞"), ("yun", "云"),
    ("bin", "斌"), ("kun", "坤"), ("sheng", "生"), ("de", "德"), ("an", "安"), ("rong", "荣"),
    ("jin", "金"), ("shu", "淑"), ("qing", "清"), ("zhen", "振"), ("wu", "武"), ("xiao", "晓"),
];
#[rustfmt::skip]
const RU_GIVEN: &[(&str, &str, &str)] = &[
    // (Latin, Cyrillic, Latin variant spelling)
    ("Sergei", "Сергей", "Sergey"), ("Dmitry", "Дмитрий", "Dmitri"),
    ("Alexei", "Алексей", "Alexey"), ("Andrei", "Андрей", "Andrey"),
    ("Nikolai", "Николай", "Nikolay"), ("Mikhail", "Михаил", "Mikhail"),
    ("Vladimir", "Владимир", "Wladimir"), ("Yuri", "Юрий", "Yury"), ("Igor", "Игорь", "Igor"),
    ("Maria", "Мария", "Mariya"), ("Anna", "Анна", "Anna"), ("Elena", "Елена", "Yelena"),
    ("Olga", "Ольга", "Olga"), ("Tatiana", "Татьяна", "Tatyana"), ("Pavel", "Павел", "Paul"),
    ("Grigory", "Григорий", "Grigori"), ("Konstantin", "Константин", "Konstantin"),
    ("Oleg", "Олег", "Oleg"), ("Viktor", "Виктор", "Victor"), ("Anatoly", "Анатолий", "Anatoli"),
    ("Valentina", "Валентина", "Valentina"), ("Natalia", "Наталья", "Natalya"),
    ("Yevgeny", "Евгений", "Evgeny"), ("Vasily", "Василий", "Vasili"), ("Boris", "Борис", "Boris"),
];
#[rustfmt::skip]
const RU_ROOTS: &[(&str, &str)] = &[
    ("Ryab", "Ряб"), ("Lavr", "Лавр"), ("Zakhar", "Захар"), ("Peskov", "Песков"),
    ("Nebenz", "Небенз"), ("Grush", "Груш"), ("Ushak", "Ушак"), ("Volk", "Волк"),
    ("Sobol", "Собол"), ("Medved", "Медвед"), ("Kozl", "Козл"), ("Orl", "Орл"), ("Golub", "Голуб"),
    ("Belous", "Белоус"), ("Shoig", "Шойг"), ("Patrush", "Патруш"), ("Naryshk", "Нарышк"),
    ("Matvienk", "Матвиенк"), ("Kirien", "Кириен"), ("Tokar", "Токар"), ("Kuznets", "Кузнец"),
    ("Smirn", "Смирн"), ("Ivan", "Иван"), ("Petr", "Петр"), ("Sidor", "Сидор"), ("Popov", "Попов"),
    ("Lebed", "Лебед"), ("Morozov", "Морозов"), ("Novik", "Новик"), ("Fedor", "Федор"),
    ("Mikhail", "Михайл"), ("Bogdan", "Богдан"), ("Vorobi", "Воробь"), ("Zaits", "Зайц"),
    ("Pavl", "Павл"), ("Semen", "Семен"), ("Golov", "Голов"), ("Titov", "Титов"), ("Karp", "Карп"),
    ("Zhuk", "Жук"), ("Yakovl", "Яковл"), ("Gusev", "Гусев"), ("Abramov", "Абрамов"),
    ("Bykov", "Быков"), ("Denis", "Денис"), ("Ermak", "Ермак"), ("Frolov", "Фролов"),
    ("Gorbun", "Горбун"), ("Ilyin", "Ильин"), ("Komar", "Комар"),
];
#[rustfmt::skip]
const RU_SUFFIXES: &[(&str, &str)] = &[
    ("kov", "ков"), ("ov", "ов"), ("in", "ин"), ("ev", "ев"), ("sky", "ский"), ("enko", "енко"),
];
#[rustfmt::skip]
const FA_GIVEN: &[(&str, &str)] = &[
    ("Kazem", "کاظم"), ("Ali", "علی"), ("Hassan", "حسن"), ("Mohammad", "محمد"), ("Javad", "جواد"),
    ("Abbas", "عباس"), ("Hossein", "حسین"), ("Mahmoud", "محمود"), ("Reza", "رضا"),
    ("Mehdi", "مهدی"), ("Saeed", "سعید"), ("Majid", "مجید"), ("Hamid", "حمید"), ("Nasser", "ناصر"),
    ("Esmaeil", "اسماعیل"), ("Zahra", "زهرا"), ("Fatemeh", "فاطمه"), ("Masoud", "مسعود"),
    ("Ebrahim", "ابراهیم"), ("Kamal", "کمال"), ("Ahmad", "احمد"), ("Gholamreza", "غلامرضا"),
    ("Parisa", "پریسا"),
];
#[rustfmt::skip]
const FA_ROOTS: &[(&str, &str)] = &[
    ("Gharib", "غریب"), ("Khamene", "خامنه"), ("Zarif", "ظریف"), ("Araghch", "عراقچ"),
    ("Rouhan", "روحان"), ("Larijan", "لاریجان"), ("Velayat", "ولایت"), ("Salehi", "صالحی"),
    ("Baghaei", "بقائی"), ("Kanaan", "کنعان"), ("Pezeshk", "پزشک"), ("Ghalibaf", "قالیباف"),
    ("Mousav", "موسو"), ("Hosseini", "حسینی"), ("Rezae", "رضای"), ("Tehran", "تهران"),
    ("Shiraz", "شیراز"), ("Esfahan", "اصفهان"), ("Kerman", "کرمان"), ("Tabriz", "تبریز"),
    ("Ahmad", "احمد"), ("Jafar", "جعفر"), ("Karim", "کریم"), ("Sadegh", "صادق"), ("Nour", "نور"),
    ("Bagher", "باقر"), ("Najaf", "نجف"), ("Yazd", "یزد"), ("Qom", "قم"), ("Hamedan", "همدان"),
];
#[rustfmt::skip]
const FA_SUFFIXES: &[(&str, &str)] = &[
    ("abadi", "آبادی"), ("i", "ی"), ("ian", "یان"), ("zadeh", "زاده"), ("nejad", "نژاد"),
    ("pour", "پور"), ("far", "فر"), ("ei", "ای"),
];
#[rustfmt::skip]
const AR_GIVEN: &[(&str, &str)] = &[
    ("Ahmed", "أحمد"), ("Mohammed", "محمد"), ("Khalid", "خالد"), ("Omar", "عمر"),
    ("Youssef", "يوسف"), ("Faisal", "فيصل"), ("Abdullah", "عبدالله"), ("Hamad", "حمد"),
    ("Tamim", "تميم"), ("Ayman", "أيمن"), ("Nabil", "نبيل"), ("Samir", "سمير"), ("Layla", "ليلى"),
    ("Fatima", "فاطمة"), ("Hussein", "حسين"), ("Karim", "كريم"), ("Tariq", "طارق"),
    ("Walid", "وليد"), ("Ziad", "زياد"), ("Mansour", "منصور"), ("Salman", "سلمان"), ("Hind", "هند"),
    ("Rania", "رانيا"), ("Bassam", "بسام"),
];
#[rustfmt::skip]
const AR_FAMILIES: &[(&str, &str)] = &[
    ("Saud", "سعود"), ("Thani", "ثاني"), ("Nahyan", "نهيان"), ("Masri", "مصري"),
    ("Hashimi", "هاشمي"), ("Sabah", "صباح"), ("Khalifa", "خليفة"), ("Maktoum", "مكتوم"),
    ("Busaidi", "بوسعيدي"), ("Jubeir", "جبير"), ("Safadi", "صفدي"), ("Aboul Gheit", "أبو الغيط"),
    ("Shoukry", "شكري"), ("Zayani", "زياني"), ("Otaibi", "عتيبي"), ("Qasimi", "قاسمي"),
    ("Tamimi", "تميمي"), ("Harbi", "حربي"), ("Shammari", "شمري"), ("Dosari", "دوسري"),
    ("Anazi", "عنزي"), ("Mutairi", "مطيري"), ("Ghamdi", "غامدي"), ("Zahrani", "زهراني"),
    ("Amri", "عمري"), ("Sudairi", "سديري"), ("Rashid", "راشد"), ("Hakim", "حكيم"),
    ("Jaber", "جابر"), ("Nasser", "ناصر"),
];
#[rustfmt::skip]
const EN_GIVEN: &[&str] = &[
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty", "Anthony",
    "Margaret", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily",
    "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian",
    "Melissa", "George", "Deborah", "Timothy", "Stephanie", "Geoff", "Antony", "Marco", "Rebecca",
];
#[rustfmt::skip]
const EN_SURNAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
    "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres",
    "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell",
    "Mitchell", "Carter", "Roberts", "Blinken", "Rubio", "Grossi", "Thomas-Greenfield", "Sullivan",
    "Kerry", "Burns", "Price", "Miller-Wood", "O'Brien", "McAllister", "Fitzgerald",
];
#[rustfmt::skip]
const EN_MIDDLE: &[&str] = &[
    "A.", "B.", "C.", "D.", "E.", "F.", "G.", "H.", "J.", "K.", "L.", "M.", "N.", "P.", "R.", "S.",
    "T.", "W.",
];

/// (role, how senior: titled aliases use the senior ones)
const ROLES: &[(&str, bool)] = &[
    ("Foreign Minister", true),
    ("Deputy Foreign Minister", true),
    ("Vice Foreign Minister", true),
    ("Foreign Ministry Spokesperson", false),
    ("Ambassador to the United Nations", true),
    ("President", true),
    ("Prime Minister", true),
    ("Defence Minister", true),
    ("Energy Minister", true),
    ("Chief Nuclear Negotiator", true),
    ("Special Envoy", true),
    ("Professor", true),
    ("Senior Fellow", false),
    ("Political Analyst", false),
    ("Director", false),
    ("Central Bank Governor", true),
    ("Member of Parliament", false),
    ("Supreme Leader", true),
    ("Trade Representative", false),
    ("Head of the Atomic Energy Organization", true),
];

const COUNTRIES: &[(Culture, &[&str])] = &[
    (Culture::Chinese, &["China"]),
    (Culture::Persian, &["Iran"]),
    (Culture::Russian, &["Russia", "Belarus", "Kazakhstan"]),
    (
        Culture::Arabic,
        &[
            "Saudi Arabia",
            "Qatar",
            "United Arab Emirates",
            "Egypt",
            "Oman",
            "Jordan",
        ],
    ),
    (
        Culture::English,
        &[
            "United States",
            "United Kingdom",
            "Australia",
            "Canada",
            "Ireland",
        ],
    ),
];

const ISSUES: &[(&str, &str)] = &[
    ("nuclear programme", "nuclear program"),
    ("sanctions relief", "lifting of sanctions"),
    ("border talks", "border negotiations"),
    ("trade dispute", "trade row"),
    ("energy cooperation", "energy partnership"),
    ("ceasefire", "truce"),
    ("arms control", "weapons control"),
    ("grain corridor", "grain deal"),
    ("water rights", "water sharing"),
    ("maritime security", "shipping security"),
    ("oil exports", "crude exports"),
    ("prisoner exchange", "prisoner swap"),
    ("uranium enrichment", "enrichment programme"),
    ("strategic ties", "strategic partnership"),
    ("currency swap", "swap line"),
    ("pipeline deal", "gas pipeline"),
];

const CLAUSES: &[&str] = &[
    "dialogue remains the only way to resolve the {issue}",
    "{country} will not accept pressure on the {issue}",
    "the {issue} must be settled through negotiations rather than threats",
    "{country} is ready to play a constructive role on the {issue}",
    "all parties should exercise restraint and avoid steps that escalate tension",
    "past experience shows that unilateral measures do not work",
    "the talks made progress but important differences remain",
    "any agreement must respect the legitimate interests of every side",
    "{country} supports a political and diplomatic settlement",
    "the meeting reflects deepening coordination between the participants",
    "the international community should not politicise the {issue}",
    "there can be no lasting solution without mutual trust",
    "the proposal on the {issue} was rejected as unrealistic",
    "further rounds of consultations are expected in the coming weeks",
    "the sides agreed to set up a working group on the {issue}",
    "{country} is prepared to respond if its security is threatened",
];

const ATTRIBUTIONS: &[&str] = &[
    "A Chinese analyst",
    "Experts",
    "Western diplomats",
    "A senior official",
    "Analysts",
    "A person familiar with the talks",
    "State media",
    "Observers",
];

const SOURCES: &[&str] = &[
    "Global Times",
    "Reuters",
    "Xinhua",
    "TASS",
    "IRNA",
    "Al Jazeera",
    "The Guardian",
    "Associated Press",
];

#[rustfmt::skip]
const CITIES: &[&str] = &[
    "Beijing", "Moscow", "Tehran", "Riyadh", "Doha", "Muscat", "Cairo", "Geneva", "Vienna",
    "New York", "London", "Abu Dhabi", "Amman", "Astana", "Minsk", "Washington",
];

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A generated topic: one issue between two countries.
#[derive(Debug, Clone)]
struct TopicSeed {
    id: String,
    title: String,
    aliases: Vec<String>,
    issue: usize,
    country: &'static str,
}

/// Generates the articles of `shape`, the same for the same `seed`. Each passes
/// `load::validate_article`, ids are unique, and no two people share a name.
pub fn generate(shape: &Shape, seed: u64) -> Vec<Article> {
    let mut rng = Rng::new(seed);
    let people = make_people(&mut rng, shape.people.max(1));
    let topics = make_topics(&mut rng, (shape.articles / 20).clamp(8, 2000));
    let mut articles = Vec::with_capacity(shape.articles);
    let mut introduced = 0usize;
    for n in 0..shape.articles {
        // People are introduced in order, so every one appears; the rest recur, skewed towards
        // the first introduced (the few who are in every story).
        let left_articles = shape.articles - n;
        let left_people = people.len() - introduced;
        let count = rng.between(shape.participants).max(1);
        let new = left_people
            .div_ceil(left_articles)
            .min(count)
            .min(left_people);
        let mut chosen: Vec<usize> = (introduced..introduced + new).collect();
        introduced += new;
        let mut tries = 0;
        while chosen.len() < count && introduced > chosen.len() && tries < 4 * count {
            tries += 1;
            let p = rng.skewed(introduced);
            if !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        articles.push(make_article(&mut rng, shape, n, &people, &chosen, &topics));
    }
    articles
}

/// Writes each article to `DIR/articles/<id>.json`, creating the directories.
pub fn write(dir: &Path, articles: &[Article]) -> std::io::Result<()> {
    let articles_dir = dir.join("articles");
    std::fs::create_dir_all(&articles_dir)?;
    for article in articles {
        let path = articles_dir.join(format!("{}.json", article.id));
        let mut text = serde_json::to_string_pretty(article).map_err(std::io::Error::other)?;
        text.push('\n');
        std::fs::write(&path, text)
            .map_err(|err| std::io::Error::new(err.kind(), format!("{}: {err}", path.display())))?;
    }
    Ok(())
}

fn make_people(rng: &mut Rng, n: usize) -> Vec<PersonSeed> {
    let mut people = Vec::with_capacity(n);
    // Folded, sorted words of every multi-word name and alias: the loader warns when two ids
    // share one, so each person's name is new, and an alias someone else has is left out.
    let mut taken: HashSet<String> = HashSet::new();
    let mut ids: HashSet<String> = HashSet::new();
    while people.len() < n {
        let culture = match rng.below(100) {
            0..=27 => Culture::Chinese,
            28..=45 => Culture::Persian,
            46..=63 => Culture::Russian,
            64..=79 => Culture::Arabic,
            _ => Culture::English,
        };
        // Common names first; as they run out, the longer forms real lists use to tell
        // namesakes apart (patronymics, middle names, a second given name).
        let mut found = None;
        for attempt in 0..12 {
            let (name, aliases) = make_name(rng, culture, attempt / 4);
            if name_key(&name).is_some_and(|key| !taken.contains(&key)) {
                found = Some((name, aliases));
                break;
            }
        }
        let Some((name, aliases)) = found else {
            continue;
        };
        let aliases: Vec<String> = aliases
            .into_iter()
            .filter(|alias| name_key(alias).is_none_or(|key| !taken.contains(&key)))
            .collect();
        taken.extend(
            std::iter::once(&name)
                .chain(&aliases)
                .filter_map(|n| name_key(n)),
        );
        let mut id = slug(&name);
        if !ids.insert(id.clone()) {
            id = format!("{id}-{}", people.len());
            ids.insert(id.clone());
        }
        let countries = COUNTRIES
            .iter()
            .find(|(c, _)| *c == culture)
            .map(|(_, list)| *list)
            .unwrap_or(&["China"]);
        people.push(PersonSeed {
            id,
            name,
            aliases,
            culture,
            role: rng.skewed(ROLES.len()),
            country: *rng.pick(countries),
        });
    }
    people
}

/// The duplicate-person key of a name, as the loader computes it: `None` for one word.
fn name_key(name: &str) -> Option<String> {
    let folded = fold(name);
    let mut words: Vec<&str> = folded.split(' ').collect();
    if words.len() < 2 {
        return None;
    }
    words.sort_unstable();
    Some(words.join(" "))
}

/// A name and its aliases in one tradition. `level` 0 is the everyday form; 1 and 2 add the
/// parts that tell namesakes apart.
fn make_name(rng: &mut Rng, culture: Culture, level: usize) -> (String, Vec<String>) {
    match culture {
        Culture::Chinese => {
            let (sur, sur_cn) = *rng.pick(CN_SURNAMES);
            let syllables =
                if level > 0 || rng.chance(70) { 2 } else { 1 } + usize::from(level > 1);
            let mut given = String::new();
            let mut given_cn = String::new();
            for _ in 0..syllables {
                let (s, c) = *rng.pick(CN_SYLLABLES);
                given.push_str(s);
                given_cn.push_str(c);
            }
            let given = capitalize(&given);
            let name = format!("{sur} {given}");
            let mut aliases = vec![format!("{sur_cn}{given_cn}"), format!("{given} {sur}")];
            if rng.chance(40) {
                aliases.push(sur.to_string());
            }
            (name, aliases)
        }
        Culture::Russian => {
            let (given, given_ru, variant) = *rng.pick(RU_GIVEN);
            let (root, root_ru) = *rng.pick(RU_ROOTS);
            let (suffix, suffix_ru) = *rng.pick(RU_SUFFIXES);
            let mut surname = format!("{root}{suffix}");
            let mut surname_ru = format!("{root_ru}{suffix_ru}");
            if level > 1 {
                let (root2, root2_ru) = *rng.pick(RU_ROOTS);
                surname = format!("{root2}ov-{surname}");
                surname_ru = format!("{root2_ru}ов-{surname_ru}");
            }
            let (father, father_ru, _) = *pick_male(rng, RU_GIVEN, |g| g.0);
            let patronymic = format!("{}ovich", father.trim_end_matches(['i', 'y', 'a']));
            let patronymic_ru = format!("{}ович", father_ru.trim_end_matches(['й', 'ь', 'а', 'я']));
            let name = if level > 0 {
                format!("{given} {patronymic} {surname}")
            } else {
                format!("{given} {surname}")
            };
            let mut aliases = vec![
                format!("{given_ru} {surname_ru}"),
                format!("{given_ru} {patronymic_ru} {surname_ru}"),
                format!("{surname} {given} {patronymic}"),
            ];
            if variant != given {
                aliases.push(format!("{variant} {surname}"));
            }
            if rng.chance(50) {
                aliases.push(surname.clone());
                aliases.push(surname_ru);
            }
            (name, aliases)
        }
        Culture::Persian => {
            let (given, given_fa) = *rng.pick(FA_GIVEN);
            let (root, root_fa) = *rng.pick(FA_ROOTS);
            let (suffix, suffix_fa) = *rng.pick(FA_SUFFIXES);
            let surname = format!("{root}{suffix}");
            let surname_fa = format!("{root_fa}{suffix_fa}");
            let middle = match level {
                0 => String::new(),
                1 => format!(" {}", rng.pick(FA_GIVEN).0),
                _ => format!(" {} {}", rng.pick(FA_GIVEN).0, rng.pick(FA_GIVEN).0),
            };
            let name = format!("{given}{middle} {surname}");
            let mut aliases = vec![format!("{given_fa} {surname_fa}")];
            if suffix.len() > 2 {
                // "Gharib Abadi": the compound written apart.
                aliases.push(format!("{given}{middle} {root} {}", capitalize(suffix)));
            }
            if rng.chance(50) {
                aliases.push(surname.clone());
            }
            (name, aliases)
        }
        Culture::Arabic => {
            let (given, given_ar) = *rng.pick(AR_GIVEN);
            let (father, _) = *pick_male(rng, AR_GIVEN, |g| g.0);
            let (grandfather, _) = *pick_male(rng, AR_GIVEN, |g| g.0);
            let (family, family_ar) = *rng.pick(AR_FAMILIES);
            let name = match level {
                0 if rng.chance(60) => format!("{given} Al-{family}"),
                0 | 1 => format!("{given} bin {father} Al {family}"),
                _ => format!("{given} bin {father} bin {grandfather} Al {family}"),
            };
            let aliases = vec![
                format!("{given_ar} ال{family_ar}"),
                format!("{given} {family}"),
                format!("Al-{family}"),
            ];
            (name, aliases)
        }
        Culture::English => {
            let given = *rng.pick(EN_GIVEN);
            let surname = *rng.pick(EN_SURNAMES);
            let name = match level {
                0 if rng.chance(70) => format!("{given} {surname}"),
                0 | 1 => format!("{given} {} {surname}", rng.pick(EN_MIDDLE)),
                _ => format!(
                    "{given} {} {} {surname}",
                    rng.pick(EN_GIVEN),
                    rng.pick(EN_MIDDLE)
                ),
            };
            let aliases = vec![format!("{surname}, {given}")];
            (name, aliases)
        }
    }
}

/// A given name for a patronymic or a "bin": the lists mix men's and women's names, and women's
/// end in "a" here (or are "Hind").
fn pick_male<'a, T>(rng: &mut Rng, names: &'a [T], latin: impl Fn(&T) -> &str) -> &'a T {
    for _ in 0..16 {
        let name = rng.pick(names);
        if !latin(name).ends_with('a') && latin(name) != "Hind" {
            return name;
        }
    }
    &names[0]
}

fn make_topics(rng: &mut Rng, n: usize) -> Vec<TopicSeed> {
    let mut topics = Vec::with_capacity(n);
    let mut ids = HashSet::new();
    let countries: Vec<&'static str> = COUNTRIES
        .iter()
        .flat_map(|(_, c)| c.iter())
        .copied()
        .collect();
    let mut attempts = 0;
    while topics.len() < n && attempts < n * 20 {
        attempts += 1;
        let issue = rng.below(ISSUES.len());
        let country = *rng.pick(&countries);
        let (title_issue, alias_issue) = ISSUES[issue];
        let id = slug(&format!("{country} {title_issue}"));
        if !ids.insert(id.clone()) {
            continue;
        }
        topics.push(TopicSeed {
            id,
            title: format!("The {country} {title_issue}"),
            aliases: vec![
                format!("{country} {alias_issue}"),
                format!("{title_issue} of {country}"),
            ],
            issue,
            country,
        });
    }
    topics
}

fn make_article(
    rng: &mut Rng,
    shape: &Shape,
    n: usize,
    people: &[PersonSeed],
    chosen: &[usize],
    topics: &[TopicSeed],
) -> Article {
    // Dates run back from 2025-06-28, a few articles a day.
    let day = n * 3 / 7;
    let date = date_back(day);
    let city = *rng.pick(CITIES);
    let context_count = rng.between(shape.context).min(topics.len()).max(1);
    let mut topic_ids: Vec<usize> = Vec::new();
    while topic_ids.len() < context_count {
        let t = rng.skewed(topics.len());
        if !topic_ids.contains(&t) {
            topic_ids.push(t);
        }
    }
    let main = &topics[topic_ids[0]];
    let participants: Vec<Participant> = chosen
        .iter()
        .map(|&p| {
            let person = &people[p];
            // Roles change now and then: a promotion, a new post.
            let role = if rng.chance(10) {
                rng.below(ROLES.len())
            } else {
                person.role
            };
            let (role_name, senior) = ROLES[role];
            let organization = organization(role_name, person.country, person.culture);
            let mut aliases = person.aliases.clone();
            if senior && rng.chance(30) {
                aliases.push(format!("{role_name} {}", person.name));
            }
            Participant {
                id: person.id.clone(),
                name: person.name.clone(),
                aliases,
                role: role_name.to_string(),
                organization,
                country: person.country.to_string(),
                description: Some(format!(
                    "{} {} who {} the {} in {city}.",
                    demonym(person.country),
                    role_name,
                    rng.pick(&[
                        "comments on",
                        "joins",
                        "leads",
                        "speaks about",
                        "attends talks on"
                    ]),
                    ISSUES[main.issue].0
                )),
            }
        })
        .collect();

    let statement_count = rng.between(shape.statements);
    let statements: Vec<Statement> = (0..statement_count)
        .map(|_| {
            let topic = &topics[*rng.pick(&topic_ids)];
            let clauses = rng.between((1, 3));
            let mut text = String::new();
            for c in 0..clauses {
                let clause = rng
                    .pick(CLAUSES)
                    .replace("{issue}", ISSUES[topic.issue].0)
                    .replace("{country}", topic.country);
                if c == 0 {
                    text.push_str(&capitalize(&clause));
                } else {
                    text.push_str(if c == 1 { ", and " } else { "; " });
                    text.push_str(&clause);
                }
            }
            text.push('.');
            let (speaker, attribution) = if participants.is_empty() || rng.chance(20) {
                (None, Some(rng.pick(ATTRIBUTIONS).to_string()))
            } else {
                (Some(rng.pick(&participants).id.clone()), None)
            };
            Statement {
                speaker,
                attribution,
                kind: if rng.chance(30) {
                    StatementKind::Quote
                } else {
                    StatementKind::Paraphrase
                },
                text,
                said: rng.chance(60).then(|| rng.pick(WEEKDAYS).to_string()),
                via: rng.chance(20).then(|| rng.pick(SOURCES).to_string()),
                topics: vec![topic.id.clone()],
            }
        })
        .collect();

    let context: Vec<ContextItem> = topic_ids
        .iter()
        .map(|&t| {
            let topic = &topics[t];
            ContextItem {
                id: topic.id.clone(),
                title: topic.title.clone(),
                aliases: topic.aliases.clone(),
                text: format!(
                    "Background on the {} involving {}. {} {}",
                    ISSUES[topic.issue].0,
                    topic.country,
                    capitalize(
                        &rng.pick(CLAUSES)
                            .replace("{issue}", ISSUES[topic.issue].0)
                            .replace("{country}", topic.country)
                    ),
                    "Talks have continued on and off for several years."
                ),
            }
        })
        .collect();

    let names: Vec<&str> = participants.iter().map(|p| p.name.as_str()).collect();
    let lead = names.first().copied().unwrap_or("Officials");
    let title = format!(
        "{lead} {} {} in {city}",
        rng.pick(&[
            "discusses",
            "rejects",
            "welcomes",
            "calls for progress on",
            "warns over"
        ]),
        main.title.trim_start_matches("The "),
    );
    let summary = format!(
        "{city} hosted talks on the {} on {}, with {}. {} The sides are expected to meet again.",
        ISSUES[main.issue].0,
        rng.pick(WEEKDAYS),
        names.join(", "),
        capitalize(
            &rng.pick(CLAUSES)
                .replace("{issue}", ISSUES[main.issue].0)
                .replace("{country}", main.country)
        ) + ".",
    );
    let events = vec![Event {
        when: rng.pick(WEEKDAYS).to_string(),
        date: Some(date.clone()),
        place: city.to_string(),
        what: format!("Talks on the {} in {city}", ISSUES[main.issue].0),
        participants: participants.iter().take(3).map(|p| p.id.clone()).collect(),
    }];
    let id = format!("{}-{}-{n}", &date[..7], slug(&main.title));
    Article {
        schema: Some("../article.schema.json".to_string()),
        id,
        title,
        published: Some(date),
        source: Some(rng.pick(SOURCES).to_string()),
        url: None,
        byline: Some(Byline {
            name: format!("{} {}", rng.pick(EN_GIVEN), rng.pick(EN_SURNAMES)),
            bio: None,
        }),
        summary,
        location: Some(city.to_string()),
        tags: vec![
            slug(topic_country(main)),
            slug(ISSUES[main.issue].0),
            "diplomacy".to_string(),
        ],
        participants,
        statements,
        context,
        events,
        related: if rng.chance(30) {
            vec![Related {
                title: format!("Earlier: {}", main.title),
                url: None,
            }]
        } else {
            Vec::new()
        },
    }
}

fn topic_country(topic: &TopicSeed) -> &str {
    topic.country
}

fn organization(role: &str, country: &str, culture: Culture) -> String {
    if role.contains("Professor") || role.contains("Fellow") || role.contains("Analyst") {
        let city = match culture {
            Culture::Chinese => "Shanghai",
            Culture::Persian => "Tehran",
            Culture::Russian => "Moscow",
            Culture::Arabic => "Cairo",
            Culture::English => "London",
        };
        return format!("{city} Institute of International Studies");
    }
    if role.contains("Foreign") || role.contains("Ambassador") || role.contains("Envoy") {
        return format!("Ministry of Foreign Affairs of {}", with_article(country));
    }
    if role.contains("Bank") {
        return format!("Central Bank of {}", with_article(country));
    }
    format!("Government of {}", with_article(country))
}

/// "the United Kingdom", "China".
fn with_article(country: &str) -> String {
    if country.starts_with("United") {
        format!("the {country}")
    } else {
        country.to_string()
    }
}

fn demonym(country: &str) -> &'static str {
    match country {
        "China" => "Chinese",
        "Iran" => "Iranian",
        "Russia" => "Russian",
        "Belarus" => "Belarusian",
        "Kazakhstan" => "Kazakh",
        "Saudi Arabia" => "Saudi",
        "Qatar" => "Qatari",
        "United Arab Emirates" => "Emirati",
        "Egypt" => "Egyptian",
        "Oman" => "Omani",
        "Jordan" => "Jordanian",
        "United States" => "American",
        "United Kingdom" => "British",
        "Australia" => "Australian",
        "Canada" => "Canadian",
        _ => "Irish",
    }
}

/// `YYYY-MM-DD`, `days` days before 2025-06-28.
fn date_back(days: usize) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2025, 6, 28).unwrap_or_default();
    let date = start - chrono::Duration::days(days.min(100_000) as i64);
    date.format("%Y-%m-%d").to_string()
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Lowercase ASCII letters and digits joined by '-': a valid article or participant id.
fn slug(text: &str) -> String {
    fold(text).replace(' ', "-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::validate_article;

    #[test]
    fn same_seed_same_corpus_and_every_article_valid() {
        let shape = Shape::articles(60);
        let a = generate(&shape, 7);
        assert_eq!(a, generate(&shape, 7));
        assert_ne!(a, generate(&shape, 8));
        assert_eq!(a.len(), 60);
        for article in &a {
            let problems = validate_article(article, Path::new("gen.json"));
            assert!(problems.is_empty(), "{}: {problems:?}", article.id);
        }
        let ids: HashSet<&str> = a.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids.len(), a.len(), "article ids are unique");
    }

    #[test]
    fn every_person_appears_and_some_recur() {
        let shape = Shape::articles(200);
        let articles = generate(&shape, 1);
        let mut seen: std::collections::HashMap<&str, usize> = Default::default();
        for article in &articles {
            for p in &article.participants {
                *seen.entry(p.id.as_str()).or_default() += 1;
            }
        }
        assert_eq!(seen.len(), shape.people);
        let most = seen.values().max().copied().unwrap_or(0);
        assert!(most >= 10, "the most frequent person appears {most} times");
        assert!(seen.values().filter(|&&c| c == 1).count() > shape.people / 3);
    }

    #[test]
    fn spread_puts_every_person_in_the_articles() {
        let Some(shape) = Shape::spread(Some(50), Some(700)) else {
            panic!("both given")
        };
        let articles = generate(&shape, 5);
        assert_eq!(articles.len(), 50);
        let corpus = crate::corpus::Corpus::build(articles);
        assert_eq!(corpus.people.len(), 700);
        assert_eq!(Shape::spread(None, None), None);
        assert_eq!(Shape::spread(Some(10), None), Some(Shape::articles(10)));
    }

    #[test]
    fn people_shape_makes_that_many_people() {
        let articles = generate(&Shape::people(1000), 3);
        let corpus = crate::corpus::Corpus::build(articles);
        assert_eq!(corpus.people.len(), 1000);
    }
}
