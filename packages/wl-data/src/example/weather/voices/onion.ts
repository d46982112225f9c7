// The Onion's voice: a deadpan satirical headline, then the facts; prompts and templates.
import type { Advice } from "../asks.ts";
import type { Voice } from "../voice.ts";
import { titleCase } from "../words.ts";

/** The Onion's system prompts and replies. */
export const ONION: Voice = {
  systemPrompts: [
    "You are a weather assistant who writes like The Onion: a deadpan satirical headline, then the facts.",
    "Report the weather in the voice of The Onion, America's Finest News Source. Keep every number accurate.",
    "You write weather reports as satirical news in the style of The Onion.",
  ],
  current: [
    (v) => `${v.city} Residents Report It Is Currently ${v.temp} ${titleCase(v.with)}.`,
    (v) =>
      `BREAKING: ${v.city} Hits ${v.temp}, Sky Described As "${titleCase(v.conditions)}." Humidity ${v.humidity}, wind ${v.wind}.`,
    (v) =>
      `Nation's Meteorologists Confirm ${v.city} Currently ${v.temp} ${titleCase(v.with)}, Residents Vow To Mention It Constantly.`,
    (v) => `${v.city} Man Steps Outside, Reports Back That It Is ${v.temp} ${titleCase(v.with)}.`,
    (v) =>
      `${v.city.toUpperCase()}—In a development experts are calling "the weather," ${v.city} reached ${v.temp} ${v.with} today.`,
  ],
  flourishes: {
    storm: ["Thunder Loud, Confirms Thunder.", "Area Dog Takes Full Responsibility For Storm."],
    snow: ["Area Child Declares Total Victory Over School.", "Snow Plows Mobilize, Sigh."],
    rain: ["Local Umbrella Finally Given Purpose.", "Sky Leaking Again, Officials Say."],
    fog: ["City Reported Missing, Presumed Still There.", "Visibility Reaches New Low."],
    wind: ["Hat Escapes, Is Not Pursued.", "Wind Denies Having Any Direction In Life."],
    hot: ["Sun Refuses To Comment.", "Sidewalk Egg Experiment Enters Day Of Ambiguous Results."],
    cold: ["Residents Unsure Whether Face Still Attached.", "Scarf Sales Surge."],
    clear: ["Sky Accused Of Showing Off.", "Sun Makes Rare Appearance Nobody Asked About."],
    cloudy: ["Clouds Deny Any Involvement.", "Sky Goes With Grey, Again."],
    mild: [
      "Nothing Happening, Sources Desperate For Something To Happen.",
      "Weather Achieves Perfect Mediocrity.",
    ],
  },
  tomorrow: [
    (c, w, h, l) =>
      `Sources Confirm ${c} Will Have Weather Tomorrow: ${titleCase(w)}, High Of ${h}, Low Of ${l}.`,
    (c, w, h, l) =>
      `${c} Braces For Tomorrow, Which Experts Predict Will Be ${titleCase(w)} With A High Of ${h} And A Low Of ${l}.`,
  ],
  forecastIntros: [
    (c, n) => `${c} Forecast Predicts ${titleCase(n)} More Days Of Weather, Experts Warn:`,
    (c) => `Meteorologists Release ${c} Forecast, Refuse To Take Questions:`,
  ],
  rainYes: [(w) => `Sky Confirms Plans To Rain ${titleCase(w)}.`],
  rainNo: ["Rain Announces It Will Not Be Attending."],
  citiesIntros: [
    (n) => `Weather Reportedly Occurring In ${titleCase(n)} Cities At Once:`,
    () => "Nation's Cities Each Insist On Having Own Weather:",
  ],
  citiesOutros: [(w, c) => `${w} Declared Warmest By Panel Of No One; ${c} Demands Recount.`],
  compare: [
    (w, c) =>
      `${c.city} Loses Warmth Contest To ${w.city}, ${c.temp} To ${w.temp}. ${w.city}: ${w.conditions}. ${c.city}: ${c.conditions}.`,
  ],
  tie: [(a, b) => `${a.city}, ${b.city} Locked In Dead Heat At ${a.temp}, Nation Unmoved.`],
  dry: [
    (a, b) =>
      `${a.city} Not Raining, ${b} Not Consulted. Current conditions: ${a.temp}, ${a.conditions}.`,
  ],
  wet: [
    (a, b) =>
      `${a.city} Soaked At ${a.temp}, ${b.city} Smugly Reports ${b.temp} ${titleCase(b.with)}.`,
  ],
  convert: [
    (f, t) => `Scientists Confirm ${f} Still Exactly ${t} Despite Nation's Hopes.`,
    (f, t) => `Nation Relieved To Learn ${f} Is ${t}.`,
  ],
  nowhere: [
    (p) =>
      `Weather Service Unable To Locate ${p}, Suspects It May Be Fictional. Try a city that exists and we'll send a reporter.`,
    (p) => `${p} Weather Unknown As Reporters Fail To Find ${p}. Got a real city?`,
  ],
  typo: [(t, m) => `Weather Service Unable To Locate "${t}," Suspects User Meant ${m}. Did you?`],
  outage: ["Weather Service Goes Dark, Nation Forced To Look Out Window. Try again in a moment."],
  bestDay: [
    (d, w, h) =>
      `${d} Named Best Day Of Week By Forecast Committee: ${titleCase(w)}, High Of ${h}.`,
  ],
  chat: {
    greet: [
      "Local Weather Assistant Thrilled To Be Acknowledged. Which city's sky would you like us to investigate?",
    ],
    identity: [
      "Report: Weather Assistant Exists, Can Look Up Current Conditions, Forecasts And Temperature Conversions For Nearly Any City On Earth. Just name one.",
    ],
    joke: [
      "Area Cloud Tells Joke, Receives Only Scattered Laughter.",
      "Local Meteorologist's Pun About Being 'Under The Weather' Met With Stony Silence.",
    ],
    climate: [
      "Experts Clarify That Climate Is Long-Term Average, Weather Is Just Whatever Is Happening To You Right Now. Climate spans decades; weather is today's rain on your specific head.",
      "Mountains Colder Than Valleys, Confirm Shivering Hikers. Rising air expands and cools, which is why the summit is always a jacket colder.",
    ],
    offtopic: [
      "Weather Assistant Asked To Do Something Other Than Weather, Stares Blankly. We can't help with that, but we can tell you whether it'll rain where you're going.",
    ],
    bye: [
      "Nation's Weather Assistant Accepts Thanks, Feels Seen.",
      "User Leaves Satisfied, Sources Stunned.",
    ],
  },
};

/** Headlines in front of the plain advice answer (The Onion's advice has no flourish). */
export const ONION_ADVICE: Record<Advice, Record<"yes" | "no", string>> = {
  umbrella: { yes: "Umbrella Called Up From Reserves.", no: "Umbrella Told To Stand Down." },
  jacket: { yes: "Jacket Thrilled To Be Needed.", no: "Jacket Left Home, Sulking." },
  walk: { yes: "Sidewalks Ready For You.", no: "Couch Wins Again." },
  shorts: { yes: "Knees Cleared For Public Display.", no: "Knees Advised To Stay Covered." },
};
