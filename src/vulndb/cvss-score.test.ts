import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { ratingFromText, severityFromVector } from "./cvss-score.js";

describe("CVSS scoring", () => {
  it("scores v3.1, v3.0, v2 and v4.0 base vectors as NVD publishes them", () => {
    // CVE-2020-8203 (lodash): NVD 7.4 high.
    assert.deepEqual(severityFromVector("ghsa", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H"), {
      source: "ghsa",
      type: "CVSS_V3",
      vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H",
      score: 7.4,
      rating: "high",
    });
    // CVE-2021-44228 (log4shell): 10.0 critical.
    assert.equal(severityFromVector("nvd", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H").score, 10);
    assert.equal(severityFromVector("nvd", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N").score, 6.5);
    // v2 has no critical: 10.0 is high.
    assert.deepEqual(
      [severityFromVector("nvd", "AV:N/AC:L/Au:N/C:C/I:C/A:C").score, severityFromVector("nvd", "AV:N/AC:L/Au:N/C:C/I:C/A:C").rating],
      [10, "high"],
    );
    assert.equal(severityFromVector("nvd", "AV:N/AC:L/Au:N/C:P/I:P/A:P").score, 7.5);
    const v4 = severityFromVector("ghsa", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
    assert.deepEqual([v4.type, v4.score, v4.rating], ["CVSS_V4", 9.3, "critical"]);
  });

  it("refuses a vector with an unknown value or missing base metrics, saying which", () => {
    assert.throws(() => severityFromVector("x", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U"), /bad CVSS vector .*I/);
    assert.throws(() => severityFromVector("x", "CVSS:3.1/AV:N"), /base metrics missing/);
    assert.throws(() => severityFromVector("x", "9.8"), /not a CVSS v2, v3.0, v3.1 or v4.0 vector/);
  });

  it("reads vendors' words: GitHub's MODERATE, Debian urgencies with their uncertainty star", () => {
    assert.equal(ratingFromText("MODERATE"), "medium");
    assert.equal(ratingFromText("low*"), "low");
    assert.equal(ratingFromText("unimportant"), "negligible");
    assert.equal(ratingFromText("not yet assigned"), "unknown");
    assert.equal(ratingFromText("Important"), "high");
    assert.equal(ratingFromText("whatever"), "unknown");
  });
});
