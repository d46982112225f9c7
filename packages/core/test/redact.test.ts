import { describe, expect, it } from "vitest";
import { redact, secretsFromEnv } from "../src/index.ts";

describe("redact", () => {
  it("hides secret values from the environment", () => {
    const env = {
      RUNPOD_API_KEY: "K3Y-VALUE-0123456789",
      MY_TOKEN: "tok-abcdefgh",
      HOME: "/root",
      SHORT_KEY: "abc",
    };
    const secrets = secretsFromEnv(env);
    expect(secrets).toEqual(["K3Y-VALUE-0123456789", "tok-abcdefgh"]);
    expect(redact("key=K3Y-VALUE-0123456789 t=tok-abcdefgh home=/root abc", secrets)).toBe(
      "key=*** t=*** home=/root abc",
    );
  });

  it("hides the shapes secrets take even when not in the environment", () => {
    const pem =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----";
    const text = `a rpa_0123456789ABCDEFGHIJ b hf_abcdefghijklmnopqrstuv c ${pem} d https://user:hunter2@example.com/x`;
    expect(redact(text, [])).toBe("a *** b *** c *** d https://user:***@example.com/x");
  });

  it("leaves ordinary text alone", () => {
    expect(redact("loss 0.25 at step 10 on https://example.com/a", [])).toBe(
      "loss 0.25 at step 10 on https://example.com/a",
    );
  });
});
