/**
 * CVSS scoring: real vectors score as NVD and the publishing CNAs show them,
 * each version rates on its own bands, and anything that is not a complete
 * vector is refused with an InputError naming the bad part.
 */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { InputError } from "../common/index.js";
import { isSeverityWord, ratingFromText, severityFromVector } from "./cvss.js";

const scored = (vector: string) => {
  const s = severityFromVector("nvd", vector);
  return [s.type, s.score, s.rating];
};

describe("severityFromVector", () => {
  it("scores CVSS 3.1 vectors as NVD publishes them", () => {
    // CVE-2020-8203 (lodash zipObjectDeep), the whole Severity.
    assert.deepEqual(severityFromVector("ghsa", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H"), {
      source: "ghsa",
      type: "CVSS_V3",
      vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H",
      score: 7.4,
      rating: "high",
    });
    // CVE-2021-44228 (Log4Shell): 10.0 critical.
    assert.deepEqual(scored("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), ["CVSS_V3", 10, "critical"]);
    // CVE-2014-0160 (Heartbleed): 7.5 high.
    assert.deepEqual(scored("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"), ["CVSS_V3", 7.5, "high"]);
    // CVE-2024-43799 (send): 5.0 medium.
    assert.deepEqual(scored("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:L"), ["CVSS_V3", 5, "medium"]);
  });

  it("scores CVSS 3.0 vectors with the 3.0 formulas", () => {
    // The network, no-interaction, full-impact vector NVD scores 9.8 (CVE-2018-7600, Drupalgeddon 2).
    assert.deepEqual(scored("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), ["CVSS_V3", 9.8, "critical"]);
    assert.equal(severityFromVector("nvd", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").vector, "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  });

  it("scores CVSS 2 vectors, bare or in NVD's parentheses, on NVD's v2 bands (no critical)", () => {
    // CVE-2021-44228: 9.3, which v2 calls high.
    assert.deepEqual(scored("AV:N/AC:M/Au:N/C:C/I:C/A:C"), ["CVSS_V2", 9.3, "high"]);
    // CVE-2014-0160: 5.0 medium. CVE-2020-8203: 5.8 medium.
    assert.deepEqual(scored("AV:N/AC:L/Au:N/C:P/I:N/A:N"), ["CVSS_V2", 5, "medium"]);
    assert.deepEqual(scored("AV:N/AC:M/Au:N/C:N/I:P/A:P"), ["CVSS_V2", 5.8, "medium"]);
    // CVE-2017-5638 (Struts): 10.0, still high.
    assert.deepEqual(scored("AV:N/AC:L/Au:N/C:C/I:C/A:C"), ["CVSS_V2", 10, "high"]);
    const wrapped = severityFromVector("nvd", "(AV:N/AC:L/Au:N/C:P/I:P/A:P)");
    assert.deepEqual([wrapped.score, wrapped.vector], [7.5, "(AV:N/AC:L/Au:N/C:P/I:P/A:P)"], "kept as published");
    // v2 has no None band: NVD rates 0.0 low.
    assert.deepEqual(scored("AV:N/AC:L/Au:N/C:N/I:N/A:N"), ["CVSS_V2", 0, "low"]);
  });

  it("scores CVSS 4.0 vectors as the publishing CNA does", () => {
    // CVE-2024-45590 (body-parser), GitHub as CNA: 8.7 high.
    assert.deepEqual(scored("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N"), ["CVSS_V4", 8.7, "high"]);
    // CVE-2024-43799 (send): 2.3 low; only the subsequent system is touched.
    assert.deepEqual(scored("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:L"), ["CVSS_V4", 2.3, "low"]);
    assert.deepEqual(scored("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), ["CVSS_V4", 9.3, "critical"]);
  });

  it("gives the base score: temporal, threat and environmental metrics are checked but do not count", () => {
    // With E:U the whole v4 vector scores 8.1 (CVSS-BT); its base (CVSS-B) is 9.3.
    assert.equal(severityFromVector("x", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U").score, 9.3);
    assert.equal(severityFromVector("x", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H/E:U/RL:O/RC:C").score, 7.4);
    assert.equal(severityFromVector("x", "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F/RL:OF/RC:C").score, 7.5);
    assert.throws(() => severityFromVector("x", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H/E:Q"), /E:Q is not a value of E/);
  });

  it("rates v3 and v4 scores on the specifications' bands, with None as negligible", () => {
    assert.deepEqual(scored("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), ["CVSS_V3", 9.8, "critical"]);
    assert.deepEqual(scored("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"), ["CVSS_V3", 8.1, "high"]);
    assert.deepEqual(scored("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"), ["CVSS_V3", 5.3, "medium"]);
    assert.deepEqual(scored("CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"), ["CVSS_V3", 1.8, "low"]);
    assert.deepEqual(scored("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), ["CVSS_V3", 0, "negligible"]);
    assert.deepEqual(scored("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N"), ["CVSS_V4", 0, "negligible"]);
  });

  it("refuses what is not a complete vector with an InputError that names the bad part", () => {
    const refused = (vector: string) => {
      try {
        severityFromVector("x", vector);
      } catch (err) {
        assert.ok(err instanceof InputError, String(err));
        return err.message;
      }
      assert.fail(`${vector} was scored`);
    };
    assert.equal(refused("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 'CVSS vector "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H": AV:Q is not a value of AV (X, N, A, L, P)');
    // The library would quietly score these as 0 or take the last value; the specification forbids both.
    assert.match(refused("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"), /: base metric A missing$/);
    assert.match(refused("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:X/VA:H/SC:N"), /: base metrics VI, SI, SA missing$/);
    assert.match(refused("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:L"), /: metric A given twice$/);
    assert.match(refused("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/"), /: empty metric/);
    assert.match(refused("CVSS:3.1/AV:N/Au:N"), /: Au is not a CVSS 3.1 metric$/);
    assert.match(refused("CVSS:3.1/AV:Network/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), /AV:Network is not a value of AV/);
    assert.match(refused("CVSS:3.1/av:n/AC:L"), /av is not a CVSS 3.1 metric/);
    assert.match(refused("CVSS:3.1/AV"), /"AV" is not a metric:value pair$/);
    assert.match(refused("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P"), /CVSS version 2.0 is not one of/);
    assert.match(refused("CVSS:5.0/AV:N"), /CVSS version 5.0 is not one of/);
    assert.match(refused("9.8"), /^CVSS vector "9.8": not a CVSS vector/);
    assert.match(refused(""), /not a CVSS vector/);
    assert.match(refused(`CVSS:3.1/${"AV:N/".repeat(200)}`), /longer than 512 characters$/);
  });
});

describe("ratingFromText", () => {
  it("reads GitHub's words", () => {
    assert.deepEqual(["LOW", "MODERATE", "HIGH", "CRITICAL"].map(ratingFromText), ["low", "medium", "high", "critical"]);
  });

  it("reads Debian urgencies, with the star that marks an uncertain one", () => {
    assert.deepEqual(
      ["unimportant", "low", "medium", "high", "low*", "medium**", "not yet assigned", "end-of-life"].map(ratingFromText),
      ["negligible", "low", "medium", "high", "low", "medium", "unknown", "unknown"],
    );
  });

  it("reads Red Hat's and Ubuntu's words and CVSS's own names", () => {
    assert.deepEqual(["Important", "Moderate", "negligible", "untriaged", "None", " High "].map(ratingFromText), ["high", "medium", "negligible", "unknown", "negligible", "high"]);
  });

  it("calls a word it does not know unknown, and says it does not know it", () => {
    assert.equal(ratingFromText("SEVERE"), "unknown");
    assert.equal(isSeverityWord("SEVERE"), false);
    assert.equal(isSeverityWord("not yet assigned"), true);
    assert.equal(isSeverityWord("low*"), true);
  });
});
