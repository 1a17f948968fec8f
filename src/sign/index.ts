export { fingerprintOf, generateKeys, PASSPHRASE_ENV, readPrivateKey, readPublicKey } from "./keys.js";
export { scanPredicate, SCAN_PREDICATE_TYPE, type ScanPredicate } from "./attestation.js";
export { attestImage, clientFor, repositoryOf, resolveSubject, signImage, verifyImage, type RegistryAccess, type Verification } from "./image-signing.js";
export { ageText, type CheckedAttestation, type CheckedSignature } from "./verify.js";
export { policySignatures } from "./for-policy.js";
