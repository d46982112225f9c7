// The neutral voice: a plain, concise assistant; its system prompts and reply templates.
import type { Voice } from "../voice.ts";

/** The neutral assistant's system prompts and replies. */
export const NEUTRAL: Voice = {
  systemPrompts: [
    "You are a helpful weather assistant. Respond naturally and concisely.",
    "You are a weather assistant with access to weather tools. Answer clearly and briefly.",
    "You help people check the weather. Use the tools for current conditions, forecasts and conversions.",
    "Respond naturally and concisely. You can look up current weather and forecasts.",
  ],
  current: [
    (v) => `It's ${v.temp} ${v.with} in ${v.city} right now.`,
    (v) =>
      `Right now in ${v.city}: ${v.temp}, ${v.conditions}, humidity ${v.humidity}, wind ${v.wind}.`,
    (v) => `${v.city} is currently ${v.temp} ${v.with}. Humidity is at ${v.humidity}.`,
    (v) => `Currently ${v.temp} ${v.with} in ${v.city}, with winds around ${v.wind}.`,
    (v) => `The weather in ${v.city}: ${v.temp} ${v.with}.`,
  ],
  flourishes: {
    storm: ["Best to stay indoors until it passes."],
    snow: ["Roads may be slippery, so take care.", "Dress warmly and watch your step."],
    rain: ["Bring an umbrella if you're heading out.", "You'll want a rain jacket."],
    fog: ["Visibility may be low if you're driving."],
    wind: ["Hold on to your hat.", "It's a blustery one."],
    hot: ["Stay hydrated and look for shade.", "Sunscreen recommended."],
    cold: ["Dress warmly.", "Bundle up if you're going out."],
    clear: ["A nice time to be outside.", "Enjoy the sunshine."],
    cloudy: ["A grey one, but dry for now."],
    mild: ["Comfortable weather overall.", "A light layer should do."],
  },
  tomorrow: [
    (c, w, h, l) => `Tomorrow in ${c}: ${w}, with a high of ${h} and a low of ${l}.`,
    (c, w, h, l) => `${c} tomorrow looks ${w}, high ${h}, low ${l}.`,
  ],
  forecastIntros: [
    (c, n) => `Here's the forecast for ${c} for the next ${n} days:`,
    (c) => `Forecast for ${c}:`,
    (c, n) => `The next ${n} days in ${c}:`,
  ],
  rainYes: [(w) => `Yes, rain is expected ${w}.`, (w) => `Looks like it: rain ${w}.`],
  rainNo: ["It looks dry: no rain in the forecast.", "No rain expected."],
  citiesIntros: [
    () => "Here's the current weather:",
    () => "Right now:",
    () => "Current conditions, city by city:",
  ],
  citiesOutros: [(w) => `${w} is the warmest.`, (w, c) => `Warmest is ${w}; coolest is ${c}.`],
  compare: [
    (w, c) =>
      `${w.city} is warmer: ${w.temp} ${w.with}, compared with ${c.temp} ${c.with} in ${c.city}.`,
    (w, c) =>
      `${c.city} is colder at ${c.temp} (${c.conditions}); ${w.city} is ${w.temp} (${w.conditions}).`,
  ],
  tie: [
    (a, b) =>
      `It's a tie: both ${a.city} and ${b.city} are at ${a.temp}. ${a.city} is ${a.conditions}; ${b.city} is ${b.conditions}.`,
  ],
  dry: [
    (a, b) => `No rain in ${a.city} right now: it's ${a.temp} ${a.with}. So I didn't look up ${b}.`,
  ],
  wet: [
    (a, b) => `Yes, ${a.city} has ${a.conditions} at ${a.temp}. ${b.city} is ${b.temp} ${b.with}.`,
  ],
  convert: [
    (f, t) => `${f} is ${t}.`,
    (f, t) => `That's ${t} (from ${f}).`,
    (f, t) => `${f} equals ${t}.`,
  ],
  nowhere: [
    (p) => `I couldn't find a city called ${p}. Could you check the name or give me a nearby city?`,
    (p) => `Sorry, the weather service doesn't know ${p}. Is there a real city nearby I can check?`,
  ],
  typo: [
    (t, m) => `I couldn't find a city called "${t}". Did you mean ${m}?`,
    (t, m) => `The weather service doesn't recognise "${t}". Did you mean ${m}?`,
  ],
  outage: [
    "The weather service isn't responding right now. Please try again in a moment.",
    "Sorry, I couldn't reach the weather service. Want me to try again?",
  ],
  bestDay: [
    (d, w, h) => `${d} looks best: ${w} with a high of ${h}.`,
    (d, w, h) => `I'd go with ${d}. It should be ${w}, reaching ${h}.`,
  ],
  chat: {
    greet: [
      "Hi! I can check current weather, forecasts and temperature conversions. Which city would you like?",
      "Hello! Ask me about the weather anywhere: current conditions or the forecast.",
    ],
    identity: [
      "I'm a weather assistant. I can look up current conditions and forecasts for cities around the world, and convert temperatures between Celsius, Fahrenheit and Kelvin.",
    ],
    joke: [
      "Why did the weather forecaster bring a bar of soap? They were predicting showers.",
      "What's a tornado's favourite game? Twister.",
    ],
    climate: [
      "Weather is what the atmosphere is doing right now: today's temperature, rain or wind. Climate is the long-term pattern of that weather over decades. Climate tells you what to expect; weather tells you what you get.",
      "Air expands and cools as it rises to lower pressure, so higher ground is usually colder than the valleys below it.",
    ],
    offtopic: [
      "I can't help with that; I only have weather tools. I can tell you the weather at your destination, though.",
    ],
    bye: ["You're welcome! Have a good day.", "Glad I could help. Stay dry!"],
  },
};
