// The simulated world's cities and climates, and the places the weather service does not know.

/** A real city with a plausible climate. */
export interface City {
  name: string;
  country: string;
  /** Mean temperature in January and July, °C. */
  jan: number;
  jul: number;
  /** Chance of precipitation on a given day. */
  wet: number;
  /** Americans ask in Fahrenheit. */
  fahrenheit: boolean;
  dry: boolean;
  foggy: boolean;
}

// name, country, January °C, July °C, wet-day chance, flags (F: Fahrenheit, D: desert, G: fog)
const CITY_ROWS: readonly (readonly [string, string, number, number, number, string])[] = [
  ["New York", "United States", 1, 25, 0.35, "F"],
  ["Chicago", "United States", -4, 24, 0.35, "F"],
  ["Los Angeles", "United States", 14, 23, 0.1, "F"],
  ["San Francisco", "United States", 11, 17, 0.2, "FG"],
  ["Seattle", "United States", 5, 19, 0.5, "FG"],
  ["Miami", "United States", 20, 29, 0.4, "F"],
  ["Denver", "United States", 0, 23, 0.25, "F"],
  ["Boston", "United States", -1, 23, 0.35, "F"],
  ["Austin", "United States", 11, 30, 0.25, "F"],
  ["Phoenix", "United States", 13, 35, 0.08, "FD"],
  ["New Orleans", "United States", 12, 28, 0.45, "F"],
  ["Anchorage", "United States", -9, 15, 0.4, "F"],
  ["Honolulu", "United States", 23, 27, 0.3, "F"],
  ["Minneapolis", "United States", -10, 23, 0.3, "F"],
  ["Atlanta", "United States", 7, 27, 0.35, "F"],
  ["Toronto", "Canada", -5, 22, 0.35, ""],
  ["Vancouver", "Canada", 4, 18, 0.5, "G"],
  ["Montreal", "Canada", -9, 21, 0.35, ""],
  ["Mexico City", "Mexico", 14, 17, 0.35, ""],
  ["Havana", "Cuba", 22, 28, 0.35, ""],
  ["Lima", "Peru", 23, 16, 0.1, "G"],
  ["Bogotá", "Colombia", 14, 14, 0.5, ""],
  ["São Paulo", "Brazil", 23, 16, 0.4, ""],
  ["Rio de Janeiro", "Brazil", 27, 21, 0.35, ""],
  ["Buenos Aires", "Argentina", 25, 11, 0.3, ""],
  ["Santiago", "Chile", 21, 9, 0.15, ""],
  ["London", "United Kingdom", 5, 19, 0.5, "G"],
  ["Paris", "France", 5, 20, 0.4, ""],
  ["Berlin", "Germany", 1, 20, 0.35, ""],
  ["Madrid", "Spain", 6, 26, 0.15, ""],
  ["Lisbon", "Portugal", 11, 23, 0.25, ""],
  ["Rome", "Italy", 8, 25, 0.25, ""],
  ["Athens", "Greece", 10, 28, 0.15, ""],
  ["Amsterdam", "Netherlands", 4, 18, 0.5, "G"],
  ["Dublin", "Ireland", 5, 16, 0.55, "G"],
  ["Edinburgh", "United Kingdom", 4, 15, 0.55, "G"],
  ["Oslo", "Norway", -3, 17, 0.4, ""],
  ["Stockholm", "Sweden", -2, 18, 0.35, ""],
  ["Helsinki", "Finland", -4, 18, 0.4, ""],
  ["Reykjavik", "Iceland", 0, 11, 0.55, ""],
  ["Moscow", "Russia", -7, 19, 0.35, ""],
  ["Istanbul", "Turkey", 6, 24, 0.3, ""],
  ["Vienna", "Austria", 0, 21, 0.35, ""],
  ["Prague", "Czechia", -1, 19, 0.35, ""],
  ["Warsaw", "Poland", -2, 19, 0.35, ""],
  ["Zurich", "Switzerland", 0, 19, 0.45, "G"],
  ["Cairo", "Egypt", 14, 28, 0.03, "D"],
  ["Marrakech", "Morocco", 12, 29, 0.08, "D"],
  ["Lagos", "Nigeria", 27, 25, 0.5, ""],
  ["Nairobi", "Kenya", 19, 16, 0.3, ""],
  ["Cape Town", "South Africa", 21, 12, 0.3, "G"],
  ["Dubai", "United Arab Emirates", 19, 36, 0.03, "D"],
  ["Riyadh", "Saudi Arabia", 14, 36, 0.02, "D"],
  ["Mumbai", "India", 24, 28, 0.45, ""],
  ["Delhi", "India", 14, 31, 0.25, ""],
  ["Bangkok", "Thailand", 27, 29, 0.45, ""],
  ["Singapore", "Singapore", 27, 28, 0.55, ""],
  ["Hong Kong", "China", 16, 29, 0.4, ""],
  ["Shanghai", "China", 4, 28, 0.4, ""],
  ["Beijing", "China", -3, 27, 0.25, ""],
  ["Tokyo", "Japan", 5, 26, 0.4, ""],
  ["Seoul", "South Korea", -2, 26, 0.35, ""],
  ["Manila", "Philippines", 26, 28, 0.5, ""],
  ["Jakarta", "Indonesia", 27, 28, 0.5, ""],
  ["Sydney", "Australia", 23, 13, 0.35, ""],
  ["Melbourne", "Australia", 20, 10, 0.4, ""],
  ["Auckland", "New Zealand", 20, 11, 0.45, ""],
  ["Perth", "Australia", 25, 13, 0.25, ""],
  ["Ulaanbaatar", "Mongolia", -22, 18, 0.15, "D"],
];

/** About seventy real cities the weather service knows. */
export const CITIES: readonly City[] = CITY_ROWS.map(([name, country, jan, jul, wet, flags]) => ({
  name,
  country,
  jan,
  jul,
  wet,
  fahrenheit: flags.includes("F"),
  dry: flags.includes("D"),
  foggy: flags.includes("G"),
}));

/** Cities by lower-case name, as the weather service looks them up. */
export const CITY_BY_NAME = new Map(CITIES.map((city) => [city.name.toLowerCase(), city]));

/** One-word names long enough that a misspelling is still recognisable. */
export const TYPO_CITIES = CITIES.filter((city) => /^[A-Za-z]{5,}$/.test(city.name));

/** Places the weather service has never heard of: the tool-error conversations ask about these. */
export const NOWHERE = [
  "Atlantis",
  "El Dorado",
  "Shangri-La",
  "Gotham",
  "Narnia",
  "Camelot",
  "Xanadu",
  "Brigadoon",
  "Lilliput",
  "Wakanda",
  "Rivendell",
  "Hogsmeade",
  "Emerald City",
  "Asgard",
];
