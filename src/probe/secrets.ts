import type { RelaySecretSpec } from "../relays/types";
import { probeTokenLength } from "./protocol";

/** Key under which a probe node's generated secrets live in its NodeSecrets. */
export const probeSecretOwner = "probe";

/**
 * The probe token: the HMAC key of every answer, handed to whoever scans (a stack output, secret).
 * Letters and digits only, so it survives being read out or typed on a phone.
 */
export const probeSecrets: readonly RelaySecretSpec[] = [{ name: "token", form: "alphanumeric", length: probeTokenLength }];
