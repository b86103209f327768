import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A certificate the test internet's servers present, and its key, as PEM files. */
export interface IssuedCertificate {
  certFile: string;
  keyFile: string;
}

export interface TestPki {
  /** The test internet's root: nodes trust it, as real VMs trust the web's roots. */
  caPem: string;
  caFile: string;
  issue(name: string, altNames: { dns?: readonly string[]; ip?: readonly string[] }): IssuedCertificate;
}

const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });

/** A throwaway certificate authority made with the openssl CLI, for the test internet's TLS servers. */
export function createTestPki(dir: string): TestPki {
  mkdirSync(dir, { recursive: true });
  const caKey = join(dir, "ca.key");
  const caFile = join(dir, "ca.crt");
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
    "-subj", "/CN=Test Internet Root", "-keyout", caKey, "-out", caFile,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  return {
    caPem: readFileSync(caFile, "utf8"),
    caFile,
    issue(name, altNames) {
      const keyFile = join(dir, `${name}.key`);
      const csr = join(dir, `${name}.csr`);
      const certFile = join(dir, `${name}.crt`);
      const ext = join(dir, `${name}.ext`);
      const sans = [...(altNames.dns ?? []).map((d) => `DNS:${d}`), ...(altNames.ip ?? []).map((i) => `IP:${i}`)];
      writeFileSync(ext, `subjectAltName=${sans.join(",")}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
      openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", `/CN=${name}`, "-keyout", keyFile, "-out", csr]);
      openssl(["x509", "-req", "-in", csr, "-CA", caFile, "-CAkey", caKey, "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", certFile]);
      return { certFile, keyFile };
    },
  };
}
