// Guess the iPhone's iOS version from the user agent, as an answer to the engine's
// "ios-version" question ("ios-26" | "ios-18" | "ios-17-or-earlier"), or null when unsure.
//
// Safari 26 freezes the OS token at "iPhone OS 18_6" and gives the real version only as
// "Version/26.x" (WebKit, "WebKit Features in Safari 26.0"). So "18_6" alone is not proof of
// iOS 18: other iOS browsers (Chrome's CriOS, in-app views) carry no Version/ token, and then
// the guess is unsure and the person is asked.

/** The OS token release Safari froze its user agent at. */
const FROZEN_OS = [18, 6];

/**
 * @param {string} [userAgent]
 * @returns {"ios-26" | "ios-18" | "ios-17-or-earlier" | null}
 */
export function guessIOS(userAgent = navigator.userAgent) {
  const os = /\((?:iPhone|iPod|iPad)[^)]*? OS (\d+)_(\d+)/.exec(userAgent);
  if (!os) return null; // not an iPhone (or an iPad asking for the desktop site): nothing to go on
  const [major, minor] = [Number(os[1]), Number(os[2])];
  const version = /\bVersion\/(\d+)(?:\.\d+)*/.exec(userAgent);
  const safariMajor = version ? Number(version[1]) : null;
  if (major >= 19 || (safariMajor !== null && safariMajor >= 26)) return "ios-26";
  if (major <= 17) return "ios-17-or-earlier";
  const frozen = major === FROZEN_OS[0] && minor >= FROZEN_OS[1];
  if (!frozen || safariMajor === 18) return "ios-18";
  return null; // "18_6" without a Safari version: iOS 18.6, or iOS 26 behind the frozen token
}
