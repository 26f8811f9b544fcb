// Avatar colours: stable per person, and different for people whose ids are neighbours.
import { expect, test } from "vitest";
import { hueOf } from "../../components/lib/initials";

test("the same id always gets the same hue, in 0–359", () => {
  expect(hueOf("120618469417811968")).toBe(hueOf("120618469417811968"));
  expect(hueOf("120618469417811968")).toBeGreaterThanOrEqual(0);
  expect(hueOf("120618469417811968")).toBeLessThan(360);
});

test("ids made one after another get hues spread around the wheel", () => {
  const base = 120618469417811968n;
  const hues = Array.from({ length: 12 }, (_, i) => hueOf((base + BigInt(i)).toString()));
  const distance = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));
  const closeNeighbours = hues.slice(1).filter((h, i) => distance(h, hues[i]!) < 20).length;
  expect(closeNeighbours).toBeLessThanOrEqual(2);
  expect(new Set(hues.map((h) => Math.floor(h / 60))).size).toBeGreaterThanOrEqual(4);
});
