import { renderCloudConfig } from "../src/cloudinit/render";
import { planOf } from "../test/unit/support/load";
import { baseFleet, fixedSecrets } from "../test/unit/support/fixtures";
const t = renderCloudConfig({ node: planOf(baseFleet()).nodes[0]!, address: "198.51.100.7", secrets: fixedSecrets });
const i = t.indexOf("flush ruleset"); console.log(JSON.stringify(t.slice(i - 60, i + 40)));
