import { renderCloudConfig } from "../src/cloudinit/render";
import { planOf } from "../test/unit/support/load";
import { baseFleet, fixedSecrets } from "../test/unit/support/fixtures";
import { parse } from "yaml";
const doc = parse(renderCloudConfig({ node: planOf(baseFleet()).nodes[0]!, address: "198.51.100.7", secrets: fixedSecrets }));
console.log(doc.write_files.find((f: any) => f.path.endsWith("00-host.sh")).content);
