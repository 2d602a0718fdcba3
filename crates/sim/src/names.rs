//! Plausible athlete names, drawn deterministically from per-region pools of given names and surnames.
//!
//! The pools are invented lists of common names for each language region, not rosters of real athletes.
//! Women's surnames follow the region's grammar where it has one (Czech -ová, Polish -ska, Russian -ova,
//! Latvian -a, Greek -ou), and East Asian names are written surname first.

use rng::Rng;

/// A language region: which pool an NOC's athletes are named from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    Nordic,
    Finnish,
    German,
    Italian,
    French,
    Dutch,
    English,
    Iberian,
    CzechSlovak,
    Polish,
    SouthSlavic,
    EastSlavic,
    Baltic,
    Hungarian,
    Romanian,
    Greek,
    Caucasian,
    Turkic,
    Japanese,
    Korean,
    Chinese,
    Global,
}

/// Men's or women's competition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sex {
    Men,
    Women,
}

impl Sex {
    pub fn letter(self) -> &'static str {
        match self {
            Self::Men => "M",
            Self::Women => "W",
        }
    }
}

struct Pool {
    men: &'static [&'static str],
    women: &'static [&'static str],
    surnames: &'static [&'static str],
    surname_first: bool,
}

impl Region {
    fn pool(self) -> Pool {
        let western = |men, women, surnames| Pool {
            men,
            women,
            surnames,
            surname_first: false,
        };
        let eastern = |men, women, surnames| Pool {
            men,
            women,
            surnames,
            surname_first: true,
        };
        match self {
            Self::Nordic => western(
                &[
                    "Johannes", "Erik", "Magnus", "Henrik", "Lars", "Sindre", "Martin", "Simen",
                    "Emil", "Anders", "Oskar", "Vetle", "Jonas", "Harald", "Sturla",
                ],
                &[
                    "Ingrid", "Kristine", "Maren", "Ida", "Thea", "Silje", "Astrid", "Hanna",
                    "Linn", "Frida", "Ebba", "Karoline", "Tiril", "Maja",
                ],
                &[
                    "Hansen",
                    "Johansen",
                    "Olsen",
                    "Larsen",
                    "Andersen",
                    "Berg",
                    "Haugen",
                    "Dahl",
                    "Lie",
                    "Strand",
                    "Bakken",
                    "Solberg",
                    "Nilsson",
                    "Lindqvist",
                    "Holm",
                    "Eriksson",
                    "Sandberg",
                    "Moen",
                    "Røiseland",
                    "Nygaard",
                    "Kristiansen",
                    "Bø",
                    "Ødegaard",
                    "Åberg",
                ],
            ),
            Self::Finnish => western(
                &[
                    "Iivo", "Joni", "Tuomas", "Eero", "Mikko", "Lauri", "Aleksi", "Otto", "Ville",
                    "Juho", "Kalle", "Niko", "Perttu", "Arttu",
                ],
                &[
                    "Kerttu", "Krista", "Aino", "Johanna", "Emma", "Siiri", "Anni", "Venla",
                    "Noora", "Suvi", "Laura", "Riikka", "Elina", "Milla",
                ],
                &[
                    "Niskanen",
                    "Mäki",
                    "Hakola",
                    "Virtanen",
                    "Korhonen",
                    "Laine",
                    "Heikkinen",
                    "Koskinen",
                    "Järvinen",
                    "Lehtonen",
                    "Salonen",
                    "Halonen",
                    "Hyvönen",
                    "Kinnunen",
                    "Rantanen",
                    "Nieminen",
                    "Lähteenmäki",
                    "Repo",
                    "Karppinen",
                    "Tamm",
                ],
            ),
            Self::German => western(
                &[
                    "Lukas",
                    "Felix",
                    "Johannes",
                    "Maximilian",
                    "Tobias",
                    "Stefan",
                    "Philipp",
                    "Andreas",
                    "Manuel",
                    "Simon",
                    "Florian",
                    "Marco",
                    "Dominik",
                    "Vincent",
                    "Niklas",
                ],
                &[
                    "Lena",
                    "Anna",
                    "Katharina",
                    "Franziska",
                    "Julia",
                    "Sophie",
                    "Laura",
                    "Vanessa",
                    "Lisa",
                    "Hannah",
                    "Miriam",
                    "Carina",
                    "Cornelia",
                    "Ramona",
                ],
                &[
                    "Müller",
                    "Schmid",
                    "Huber",
                    "Wagner",
                    "Hofer",
                    "Gruber",
                    "Weber",
                    "Fischer",
                    "Steiner",
                    "Moser",
                    "Mayer",
                    "Brandner",
                    "Eder",
                    "Schwarz",
                    "Baumann",
                    "Keller",
                    "Frey",
                    "Lehmann",
                    "Kröll",
                    "Geiger",
                    "Preuß",
                    "Zimmermann",
                ],
            ),
            Self::Italian => western(
                &[
                    "Luca",
                    "Matteo",
                    "Alessandro",
                    "Giovanni",
                    "Federico",
                    "Lorenzo",
                    "Tommaso",
                    "Davide",
                    "Riccardo",
                    "Simone",
                    "Pietro",
                    "Filippo",
                    "Mattia",
                    "Dominik",
                ],
                &[
                    "Sofia",
                    "Giulia",
                    "Martina",
                    "Chiara",
                    "Federica",
                    "Marta",
                    "Elena",
                    "Francesca",
                    "Alice",
                    "Nicol",
                    "Lisa",
                    "Dorothea",
                    "Arianna",
                    "Michela",
                ],
                &[
                    "Rossi",
                    "Bianchi",
                    "Ferrari",
                    "Romano",
                    "Colombo",
                    "Ricci",
                    "Marino",
                    "Greco",
                    "Bruno",
                    "Gallo",
                    "Conti",
                    "De Luca",
                    "Costa",
                    "Giordano",
                    "Mancini",
                    "Rizzo",
                    "Lombardi",
                    "Moretti",
                    "Pellegrini",
                    "Zanetti",
                    "Dalmasso",
                    "Oberhofer",
                ],
            ),
            Self::French => western(
                &[
                    "Mathieu", "Clément", "Quentin", "Émilien", "Antoine", "Hugo", "Lucas", "Théo",
                    "Maxime", "Louis", "Julien", "Alexis", "Fabien", "Jules",
                ],
                &[
                    "Julia", "Camille", "Léa", "Manon", "Chloé", "Océane", "Justine", "Anaïs",
                    "Romane", "Lou", "Clara", "Marion", "Tessa", "Jade",
                ],
                &[
                    "Martin",
                    "Bernard",
                    "Dubois",
                    "Thomas",
                    "Robert",
                    "Richard",
                    "Petit",
                    "Durand",
                    "Leroy",
                    "Moreau",
                    "Simon",
                    "Laurent",
                    "Lefebvre",
                    "Michel",
                    "Garnier",
                    "Faivre",
                    "Perrot",
                    "Jacquelin",
                    "Chevalier",
                    "Bonnet",
                ],
            ),
            Self::Dutch => western(
                &[
                    "Jorrit", "Kjeld", "Thomas", "Jenning", "Sven", "Joep", "Tim", "Bart", "Koen",
                    "Daan", "Stijn", "Wesley", "Patrick",
                ],
                &[
                    "Irene",
                    "Jutta",
                    "Joy",
                    "Suzanne",
                    "Xandra",
                    "Femke",
                    "Marijke",
                    "Antoinette",
                    "Sanne",
                    "Lotte",
                    "Michelle",
                    "Selma",
                ],
                &[
                    "de Jong",
                    "Jansen",
                    "de Vries",
                    "van den Berg",
                    "van Dijk",
                    "Bakker",
                    "Visser",
                    "Smit",
                    "Meijer",
                    "de Boer",
                    "Mulder",
                    "Bos",
                    "Vos",
                    "Peters",
                    "Hendriks",
                    "Dekker",
                    "van Leeuwen",
                    "Kok",
                    "Roest",
                    "Bergsma",
                ],
            ),
            Self::English => western(
                &[
                    "James", "Jack", "Ryan", "Tyler", "Connor", "Liam", "Noah", "Ben", "Nathan",
                    "Jordan", "Dylan", "Cameron", "Mark", "Brady", "Chris",
                ],
                &[
                    "Emily", "Mikaela", "Sarah", "Jessica", "Hannah", "Olivia", "Madison",
                    "Kaitlyn", "Megan", "Chloe", "Brittany", "Rachel", "Amber", "Kelsey",
                ],
                &[
                    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
                    "Anderson", "Taylor", "Thomas", "Moore", "Clark", "Walker", "Young", "King",
                    "Wright", "Scott", "Campbell", "Murray", "Mitchell", "Reid", "Hughes",
                    "O'Brien",
                ],
            ),
            Self::Iberian => western(
                &[
                    "Pablo", "Javier", "Carlos", "Diego", "Lucas", "Matías", "Joaquín", "Tomás",
                    "Nicolás", "Martín", "Andrés", "Felipe", "João",
                ],
                &[
                    "Lucía",
                    "María",
                    "Paula",
                    "Sofía",
                    "Valentina",
                    "Camila",
                    "Isabel",
                    "Carla",
                    "Elena",
                    "Ainhoa",
                    "Francisca",
                    "Ana",
                ],
                &[
                    "García",
                    "Fernández",
                    "González",
                    "Rodríguez",
                    "López",
                    "Martínez",
                    "Sánchez",
                    "Pérez",
                    "Gómez",
                    "Díaz",
                    "Álvarez",
                    "Romero",
                    "Silva",
                    "Santos",
                    "Ferreira",
                    "Castro",
                    "Vargas",
                    "Rojas",
                    "Muñoz",
                    "Herrera",
                ],
            ),
            Self::CzechSlovak => western(
                &[
                    "Jakub", "Tomáš", "Ondřej", "Michal", "Lukáš", "Vojtěch", "Adam", "Martin",
                    "Petr", "Matej", "Filip", "Jan", "Dominik", "Roman",
                ],
                &[
                    "Markéta",
                    "Tereza",
                    "Lucie",
                    "Barbora",
                    "Kateřina",
                    "Eliška",
                    "Petra",
                    "Veronika",
                    "Zuzana",
                    "Jana",
                    "Adéla",
                    "Karolína",
                    "Natálie",
                ],
                &[
                    "Novák",
                    "Svoboda",
                    "Dvořák",
                    "Černý",
                    "Procházka",
                    "Kučera",
                    "Veselý",
                    "Horák",
                    "Němec",
                    "Pokorný",
                    "Marek",
                    "Hájek",
                    "Král",
                    "Jelínek",
                    "Růžička",
                    "Beneš",
                    "Fiala",
                    "Sedláček",
                    "Zeman",
                    "Kolář",
                ],
            ),
            Self::Polish => western(
                &[
                    "Kamil",
                    "Dawid",
                    "Piotr",
                    "Jakub",
                    "Maciej",
                    "Paweł",
                    "Aleksander",
                    "Wojciech",
                    "Mateusz",
                    "Szymon",
                    "Bartosz",
                    "Krzysztof",
                ],
                &[
                    "Natalia",
                    "Kamila",
                    "Aleksandra",
                    "Weronika",
                    "Magdalena",
                    "Karolina",
                    "Monika",
                    "Zofia",
                    "Julia",
                    "Agnieszka",
                    "Joanna",
                    "Maryna",
                ],
                &[
                    "Kowalski",
                    "Nowak",
                    "Wiśniewski",
                    "Wójcik",
                    "Kamiński",
                    "Lewandowski",
                    "Zieliński",
                    "Szymański",
                    "Woźniak",
                    "Dąbrowski",
                    "Kozłowski",
                    "Jankowski",
                    "Mazur",
                    "Krawczyk",
                    "Piątek",
                    "Grabowski",
                    "Pawlak",
                    "Michalski",
                ],
            ),
            Self::SouthSlavic => western(
                &[
                    "Žan", "Luka", "Anže", "Jan", "Timi", "Filip", "Marko", "Nikola", "Stefan",
                    "Ivan", "Domen", "Tilen", "Miha", "Petar",
                ],
                &[
                    "Ema", "Nika", "Ana", "Meta", "Ilka", "Zala", "Tina", "Maja", "Katja", "Lara",
                    "Petra", "Andreja", "Teodora", "Iva",
                ],
                &[
                    "Kranjec",
                    "Horvat",
                    "Novak",
                    "Kovačič",
                    "Zupan",
                    "Potočnik",
                    "Mlakar",
                    "Kos",
                    "Vidmar",
                    "Golob",
                    "Kolar",
                    "Petrović",
                    "Jovanović",
                    "Popović",
                    "Ivanov",
                    "Georgiev",
                    "Dimitrov",
                    "Babić",
                    "Marić",
                    "Knez",
                ],
            ),
            Self::EastSlavic => western(
                &[
                    "Alexander",
                    "Dmitry",
                    "Sergey",
                    "Nikita",
                    "Artem",
                    "Ivan",
                    "Maxim",
                    "Denis",
                    "Andriy",
                    "Oleksandr",
                    "Bogdan",
                    "Yegor",
                    "Mikhail",
                    "Kirill",
                ],
                &[
                    "Anastasia",
                    "Ekaterina",
                    "Maria",
                    "Daria",
                    "Olga",
                    "Yulia",
                    "Anna",
                    "Kamila",
                    "Sofia",
                    "Valentina",
                    "Yuliia",
                    "Oleksandra",
                    "Alina",
                    "Polina",
                ],
                &[
                    "Ivanov",
                    "Petrov",
                    "Smirnov",
                    "Kuznetsov",
                    "Popov",
                    "Volkov",
                    "Sokolov",
                    "Lebedev",
                    "Morozov",
                    "Novikov",
                    "Shevchenko",
                    "Bondarenko",
                    "Kovalchuk",
                    "Tkachenko",
                    "Melnyk",
                    "Abramov",
                    "Krasnov",
                    "Zaitsev",
                    "Orlov",
                    "Belov",
                ],
            ),
            Self::Baltic => western(
                &[
                    "Mārtiņš",
                    "Kristaps",
                    "Roberts",
                    "Artūrs",
                    "Jānis",
                    "Edgars",
                    "Rihards",
                    "Tomas",
                    "Lukas",
                    "Mantas",
                    "Dainis",
                    "Emīls",
                ],
                &[
                    "Elīza",
                    "Laura",
                    "Anna",
                    "Baiba",
                    "Kristīne",
                    "Elza",
                    "Ieva",
                    "Gabrielė",
                    "Agnė",
                    "Sanita",
                    "Madara",
                    "Liene",
                ],
                &[
                    "Bērziņš",
                    "Kalniņš",
                    "Ozols",
                    "Jansons",
                    "Liepiņš",
                    "Krūmiņš",
                    "Zariņš",
                    "Kazlauskas",
                    "Jankauskas",
                    "Petrauskas",
                    "Vītols",
                    "Balodis",
                    "Strautiņš",
                    "Rudzītis",
                    "Grīnbergs",
                    "Kalējs",
                    "Lapiņš",
                    "Ābele",
                ],
            ),
            Self::Hungarian => western(
                &[
                    "Bence", "Dániel", "Ádám", "Levente", "Márton", "Tamás", "Gergely", "Balázs",
                    "Csaba", "Zoltán",
                ],
                &[
                    "Petra",
                    "Zsófia",
                    "Anna",
                    "Réka",
                    "Dorina",
                    "Fanni",
                    "Eszter",
                    "Viktória",
                    "Lili",
                    "Boglárka",
                ],
                &[
                    "Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár",
                    "Németh", "Farkas", "Balogh", "Papp", "Takács", "Juhász",
                ],
            ),
            Self::Romanian => western(
                &[
                    "Andrei",
                    "Mihai",
                    "Alexandru",
                    "Ionuț",
                    "Cristian",
                    "Florin",
                    "Vlad",
                    "Bogdan",
                    "Răzvan",
                    "Marian",
                ],
                &[
                    "Ioana",
                    "Elena",
                    "Andreea",
                    "Maria",
                    "Alexandra",
                    "Raluca",
                    "Ana",
                    "Mihaela",
                    "Cristina",
                    "Gabriela",
                ],
                &[
                    "Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Gheorghe", "Matei",
                    "Ciobanu", "Rusu", "Munteanu", "Florea", "Tudor", "Dinu", "Moldovan",
                ],
            ),
            Self::Greek => western(
                &[
                    "Georgios",
                    "Dimitrios",
                    "Konstantinos",
                    "Ioannis",
                    "Nikolaos",
                    "Panagiotis",
                    "Christos",
                    "Apostolos",
                ],
                &[
                    "Maria",
                    "Eleni",
                    "Aikaterini",
                    "Sofia",
                    "Ioanna",
                    "Despoina",
                    "Georgia",
                    "Anastasia",
                ],
                &[
                    "Papadopoulos",
                    "Georgiou",
                    "Nikolaou",
                    "Konstantinou",
                    "Ioannou",
                    "Vasileiou",
                    "Dimitriou",
                    "Christodoulou",
                    "Antoniou",
                    "Karagiannis",
                ],
            ),
            Self::Caucasian => western(
                &[
                    "Giorgi", "Levan", "Davit", "Nika", "Luka", "Aram", "Tigran", "Arman",
                    "Rustam", "Elvin",
                ],
                &[
                    "Nino", "Mariam", "Tamar", "Anano", "Ani", "Lilit", "Nare", "Aysel", "Leyla",
                    "Salome",
                ],
                &[
                    "Beridze",
                    "Kapanadze",
                    "Gelashvili",
                    "Maisuradze",
                    "Lomidze",
                    "Tsiklauri",
                    "Grigoryan",
                    "Harutyunyan",
                    "Sargsyan",
                    "Mammadov",
                    "Aliyev",
                    "Hasanov",
                ],
            ),
            Self::Turkic => western(
                &[
                    "Mehmet",
                    "Emre",
                    "Yusuf",
                    "Arman",
                    "Nurlan",
                    "Daniyar",
                    "Timur",
                    "Alisher",
                    "Ruslan",
                    "Bakhtiyar",
                    "Erlan",
                    "Ali",
                ],
                &[
                    "Aigerim", "Dinara", "Zeynep", "Elif", "Madina", "Aruzhan", "Kamila", "Asel",
                    "Saule", "Dilnaz", "Gulnara", "Ayşe",
                ],
                &[
                    "Yılmaz",
                    "Kaya",
                    "Demir",
                    "Şahin",
                    "Çelik",
                    "Abdullayev",
                    "Nurmagambetov",
                    "Seitkali",
                    "Akhmetov",
                    "Tokhtarov",
                    "Bekov",
                    "Saparov",
                    "Yusupov",
                    "Karimov",
                    "Rakhimov",
                ],
            ),
            Self::Japanese => eastern(
                &[
                    "Ryo", "Yuto", "Haruto", "Sota", "Kaito", "Yuki", "Daiki", "Kazuki", "Takeru",
                    "Ren", "Hiroki", "Tatsuki", "Sena",
                ],
                &[
                    "Yui", "Sakura", "Miho", "Nana", "Kaori", "Mao", "Rina", "Hina", "Saki",
                    "Yuka", "Misaki", "Nozomi", "Aoi",
                ],
                &[
                    "Sato",
                    "Suzuki",
                    "Takahashi",
                    "Tanaka",
                    "Watanabe",
                    "Ito",
                    "Yamamoto",
                    "Nakamura",
                    "Kobayashi",
                    "Kato",
                    "Yoshida",
                    "Yamada",
                    "Sasaki",
                    "Matsumoto",
                    "Inoue",
                    "Kimura",
                    "Hayashi",
                    "Shimizu",
                    "Kikuchi",
                    "Hirano",
                ],
            ),
            Self::Korean => eastern(
                &[
                    "Min-jun", "Seo-jun", "Ji-ho", "Do-yoon", "Ha-jun", "Joon-ho", "Dae-heon",
                    "Sung-bin", "Tae-yang", "Woo-jin",
                ],
                &[
                    "Seo-yeon",
                    "Min-jeong",
                    "Ji-woo",
                    "Ha-eun",
                    "Su-ah",
                    "Ye-jin",
                    "Chae-won",
                    "Da-eun",
                    "Yu-na",
                    "Ga-young",
                ],
                &[
                    "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim",
                    "Han", "Shin", "Seo", "Kwon", "Hwang",
                ],
            ),
            Self::Chinese => eastern(
                &[
                    "Yiming", "Haoran", "Zihao", "Jiawei", "Yuchen", "Wenhao", "Tianyu", "Junjie",
                    "Xiaolong", "Zhiwei", "Ziyang", "Bowen",
                ],
                &[
                    "Yuxin", "Jiayi", "Xinyi", "Mengyao", "Ruoxi", "Shiyu", "Yutong", "Jingyi",
                    "Siyu", "Xueying", "Wenjing", "Qianyu",
                ],
                &[
                    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
                    "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Su",
                ],
            ),
            Self::Global => western(
                &[
                    "Samuel", "Daniel", "David", "Adam", "Omar", "Youssef", "Kwame", "Joseph",
                    "Arjun", "Ahmed", "Rahul", "Marc", "Jean", "Kevin",
                ],
                &[
                    "Sarah", "Grace", "Amina", "Leila", "Priya", "Fatima", "Noor", "Esther", "Mia",
                    "Nadia", "Sophie", "Chanel",
                ],
                &[
                    "Mensah",
                    "Okafor",
                    "Boateng",
                    "Haddad",
                    "Khoury",
                    "Benali",
                    "Cohen",
                    "Levi",
                    "Sharma",
                    "Singh",
                    "Khan",
                    "Rahman",
                    "Kiprop",
                    "Tesfaye",
                    "Rakotomalala",
                    "Pierre",
                    "Joseph",
                    "Osei",
                    "Nasser",
                    "Mendes",
                ],
            ),
        }
    }

    /// A woman's form of a surname, where the language inflects it.
    fn feminine(self, surname: &str) -> String {
        let replace = |suffix: &str, with: &str| {
            surname
                .strip_suffix(suffix)
                .map(|stem| format!("{stem}{with}"))
        };
        let inflected = match self {
            Self::CzechSlovak => replace("ý", "á")
                .or_else(|| replace("ek", "ková"))
                .or_else(|| replace("ec", "cová"))
                .or_else(|| replace("a", "ová"))
                .or_else(|| Some(format!("{surname}ová"))),
            Self::Polish => replace("ki", "ka"),
            Self::EastSlavic | Self::Turkic | Self::Caucasian | Self::SouthSlavic => {
                replace("ov", "ova")
                    .or_else(|| replace("ev", "eva"))
                    .or_else(|| replace("in", "ina"))
                    .or_else(|| replace("sky", "skaya"))
            }
            Self::Baltic => replace("iņš", "iņa")
                .or_else(|| replace("ns", "ne"))
                .or_else(|| replace("as", "ienė"))
                .or_else(|| replace("is", "e"))
                .or_else(|| replace("s", "a")),
            Self::Greek => replace("os", "ou").or_else(|| replace("is", "i")),
            _ => None,
        };
        inflected.unwrap_or_else(|| surname.to_owned())
    }
}

/// A drawn name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName {
    pub given: String,
    pub surname: String,
    surname_first: bool,
}

impl PersonName {
    /// The name as results show it: `Ingrid Hansen`, or `Kim Min-jun` where the surname comes first.
    pub fn display(&self) -> String {
        if self.surname_first {
            format!("{} {}", self.surname, self.given)
        } else {
            format!("{} {}", self.given, self.surname)
        }
    }

    /// The stem of a competitor id: `HANSEN_I` (ASCII surname, then the given name's initial).
    pub fn id_stem(&self) -> String {
        let surname: String = ascii_upper(&self.surname).chars().take(24).collect();
        let initial: String = ascii_upper(&self.given).chars().take(1).collect();
        format!("{surname}_{initial}")
    }
}

/// Draws a name for an athlete of `region`.
pub fn draw(region: Region, sex: Sex, rng: &mut Rng) -> PersonName {
    let pool = region.pool();
    let given = match sex {
        Sex::Men => rng.pick(pool.men),
        Sex::Women => rng.pick(pool.women),
    };
    let surname = rng.pick(pool.surnames).copied().unwrap_or("Smith");
    let surname = match sex {
        Sex::Men => surname.to_owned(),
        Sex::Women => region.feminine(surname),
    };
    PersonName {
        given: given.copied().unwrap_or("Alex").to_owned(),
        surname,
        surname_first: pool.surname_first,
    }
}

/// Upper-case ASCII letters and digits only: accents dropped, other letters spelled out, the rest removed.
pub fn ascii_upper(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        let mapped: &str = match ch {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ä' | 'Å'
            | 'Ā' => "A",
            'æ' | 'Æ' => "AE",
            'ç' | 'č' | 'ć' | 'Č' | 'Ć' | 'Ç' => "C",
            'ď' | 'Ď' => "D",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'É' | 'È' | 'Ē' => "E",
            'ğ' | 'ģ' => "G",
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'İ' | 'Í' | 'Ī' => "I",
            'ķ' => "K",
            'ł' | 'ļ' | 'Ł' | 'Ļ' => "L",
            'ñ' | 'ń' | 'ņ' | 'ň' | 'Ñ' => "N",
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ő' | 'ø' | 'Ö' | 'Ø' | 'Ó' => "O",
            'œ' => "OE",
            'ř' | 'Ř' => "R",
            'ś' | 'š' | 'ş' | 'ș' | 'Š' | 'Ś' | 'Ş' => "S",
            'ß' => "SS",
            'ť' | 'ț' => "T",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ü' | 'Ú' | 'Ū' => "U",
            'ý' | 'ÿ' | 'Ý' => "Y",
            'ź' | 'ż' | 'ž' | 'Ž' | 'Ż' | 'Ź' => "Z",
            _ if ch.is_ascii_alphanumeric() => {
                out.push(ch.to_ascii_uppercase());
                continue;
            }
            _ => continue,
        };
        out.push_str(mapped);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_feminine(region: Region, surname: &str, expected: &str) {
        assert_eq!(region.feminine(surname), expected, "{region:?} {surname}");
    }

    #[test]
    fn women_get_the_feminine_surname_where_the_language_has_one() {
        check_feminine(Region::CzechSlovak, "Novák", "Nováková");
        check_feminine(Region::CzechSlovak, "Černý", "Černá");
        check_feminine(Region::CzechSlovak, "Hájek", "Hájková");
        check_feminine(Region::CzechSlovak, "Němec", "Němcová");
        check_feminine(Region::CzechSlovak, "Procházka", "Procházková");
        check_feminine(Region::Polish, "Kowalski", "Kowalska");
        check_feminine(Region::Polish, "Nowak", "Nowak");
        check_feminine(Region::EastSlavic, "Ivanov", "Ivanova");
        check_feminine(Region::EastSlavic, "Shevchenko", "Shevchenko");
        check_feminine(Region::Baltic, "Bērziņš", "Bērziņa");
        check_feminine(Region::Baltic, "Kazlauskas", "Kazlauskienė");
        check_feminine(Region::Greek, "Papadopoulos", "Papadopoulou");
        check_feminine(Region::Nordic, "Hansen", "Hansen");
    }

    #[test]
    fn ids_are_plain_ascii() {
        let name = PersonName {
            given: "Émilien".into(),
            surname: "Ødegaard-Bø".into(),
            surname_first: false,
        };
        assert_eq!(name.id_stem(), "ODEGAARDBO_E");
        assert_eq!(ascii_upper("de Vries"), "DEVRIES");
        assert_eq!(ascii_upper("O'Brien"), "OBRIEN");
        assert_eq!(ascii_upper("Yılmaz"), "YILMAZ");
    }

    #[test]
    fn every_surname_yields_an_id_stem() {
        for region in [
            Region::Nordic,
            Region::Finnish,
            Region::German,
            Region::Italian,
            Region::French,
            Region::Dutch,
            Region::English,
            Region::Iberian,
            Region::CzechSlovak,
            Region::Polish,
            Region::SouthSlavic,
            Region::EastSlavic,
            Region::Baltic,
            Region::Hungarian,
            Region::Romanian,
            Region::Greek,
            Region::Caucasian,
            Region::Turkic,
            Region::Japanese,
            Region::Korean,
            Region::Chinese,
            Region::Global,
        ] {
            let pool = region.pool();
            for surname in pool.surnames {
                for form in [surname.to_string(), region.feminine(surname)] {
                    assert!(
                        ascii_upper(&form).len() >= 2,
                        "{region:?}: {form} has no ASCII id"
                    );
                }
            }
            for given in pool.men.iter().chain(pool.women) {
                assert!(!ascii_upper(given).is_empty(), "{region:?}: {given}");
            }
        }
    }

    #[test]
    fn east_asian_names_put_the_surname_first() {
        let mut rng = Rng::new(3);
        let name = draw(Region::Korean, Sex::Women, &mut rng);
        assert!(name.display().starts_with(&name.surname));
        let name = draw(Region::Italian, Sex::Men, &mut rng);
        assert!(name.display().starts_with(&name.given));
    }
}
