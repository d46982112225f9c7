// One conversation's simulated world: today's weather and the week ahead in each city asked about.
import { at } from "./at.ts";
import type { City } from "./cities.ts";
import { type Condition, SKY } from "./conditions.ts";
import type { Rng } from "./random.ts";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** A city's weather right now. */
export interface Weather {
  tempC: number;
  condition: Condition;
  humidity: number;
  windKmh: number;
}

/** One day of a city's forecast. */
export interface DayWeather {
  day: string;
  highC: number;
  lowC: number;
  condition: Condition;
  precipitation: number;
}

/**
 * One conversation's world: a month and a weekday, and each city's weather once looked up, so a
 * second look at the same city agrees with the first.
 */
export class World {
  private readonly now = new Map<string, Weather>();
  private readonly ahead = new Map<string, DayWeather[]>();
  private readonly month: number;
  private readonly weekday: number;

  constructor(private readonly rng: Rng) {
    this.month = rng.int(0, 11);
    this.weekday = rng.int(0, 6);
  }

  current(city: City): Weather {
    const known = this.now.get(city.name);
    if (known) return known;
    const tempC = Math.round(this.mean(city) + this.rng.int(-4, 5));
    const sky = this.sky(city, tempC);
    const weather = {
      tempC,
      condition: sky,
      humidity: this.humidity(city, sky),
      windKmh: this.wind(sky),
    };
    this.now.set(city.name, weather);
    return weather;
  }

  forecast(city: City): DayWeather[] {
    const known = this.ahead.get(city.name);
    if (known) return known;
    let level = this.current(city).tempC;
    const days: DayWeather[] = [];
    for (let day = 1; day <= 7; day++) {
      level = Math.round((level + this.mean(city)) / 2 + this.rng.int(-2, 2));
      const highC = level + this.rng.int(1, 3);
      const lowC = highC - this.rng.int(city.dry ? 10 : 5, city.dry ? 15 : 10);
      const sky = this.sky(city, Math.round((highC + lowC) / 2));
      days.push({
        day: at(WEEKDAYS, (this.weekday + day) % 7),
        highC,
        lowC,
        condition: sky,
        precipitation: this.precipitation(sky),
      });
    }
    this.ahead.set(city.name, days);
    return days;
  }

  // January mean in January, July mean in July, a cosine between (both hemispheres).
  private mean(city: City): number {
    const middle = (city.jan + city.jul) / 2;
    const swing = (city.jan - city.jul) / 2;
    return middle + swing * Math.cos((2 * Math.PI * this.month) / 12);
  }

  private sky(city: City, tempC: number): Condition {
    const rng = this.rng;
    if (rng.chance(city.wet)) {
      if (tempC <= 0) return rng.pick([SKY.lightSnow, SKY.snow, SKY.lightSnow]);
      if (tempC <= 2) return rng.pick([SKY.sleet, SKY.lightSnow, SKY.lightRain]);
      if (tempC >= 22 && rng.chance(0.35)) return SKY.thunderstorms;
      return rng.pick([SKY.drizzle, SKY.lightRain, SKY.lightRain, SKY.rain, SKY.showers]);
    }
    if (city.dry) return rng.pick([SKY.sunny, SKY.clear, SKY.sunny, SKY.haze, SKY.dust]);
    if (city.foggy && tempC <= 20 && rng.chance(0.3)) return rng.pick([SKY.fog, SKY.mist]);
    return rng.pick([
      SKY.clear,
      SKY.sunny,
      SKY.partlyCloudy,
      SKY.partlyCloudy,
      SKY.overcast,
      SKY.overcast,
      SKY.windy,
    ]);
  }

  private humidity(city: City, sky: Condition): number {
    if (sky.kind === "fog") return this.rng.int(90, 100);
    if (sky.kind === "rain" || sky.kind === "storm" || sky.kind === "snow") {
      return this.rng.int(75, 98);
    }
    if (city.dry) return this.rng.int(8, 35);
    return this.rng.int(35, 80);
  }

  private wind(sky: Condition): number {
    if (sky.kind === "wind") return this.rng.int(35, 60);
    if (sky.kind === "storm") return this.rng.int(25, 55);
    return this.rng.int(0, 25);
  }

  private precipitation(sky: Condition): number {
    if (sky.kind === "rain" || sky.kind === "snow") return this.rng.pick([60, 70, 80, 90]);
    if (sky.kind === "storm") return this.rng.pick([70, 80, 90]);
    if (sky.kind === "fog" || sky === SKY.overcast) return this.rng.pick([20, 30, 40]);
    if (sky.kind === "cloudy") return this.rng.pick([10, 20]);
    return this.rng.pick([0, 5, 10]);
  }
}
