//! Vocabulary of phishing lures, as data.
//!
//! Provenance: written by the Mailward team (2026) from the social-engineering techniques
//! described in public awareness material (FTC "How to recognize and avoid phishing scams",
//! CISA "Avoiding social engineering and phishing attacks", the FBI IC3 business e-mail
//! compromise advisories, Microsoft's and Google's user guidance on gift-card, payroll and
//! MFA-fatigue scams). Phrases name techniques, not campaigns, and were not derived from the
//! evaluation corpora. Each entry carries its language so more languages can follow: add
//! entries with their BCP 47 tag; matching is per phrase, on lower-cased text with white
//! space collapsed and invisible characters removed, at word boundaries.

/// What a phrase is evidence of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cue {
    /// Asking the reader to sign in, verify or re-enter account details.
    Credentials,
    /// Deadlines, suspension, threats.
    Urgency,
    /// Changing where money goes: bank details, payroll, wire transfers.
    Payment,
    /// Buying gift cards and sending their codes.
    GiftCard,
    /// Pretexts: invoices, e-signatures, voicemail, shared documents, MFA and QR prompts.
    Lure,
}

/// One phrase of the vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Phrase {
    pub cue: Cue,
    /// BCP 47 language tag.
    pub lang: &'static str,
    /// Lower case; matched at word boundaries.
    pub text: &'static str,
}

const fn en(cue: Cue, text: &'static str) -> Phrase {
    Phrase {
        cue,
        lang: "en",
        text,
    }
}

use Cue::*;

/// The vocabulary.
pub const PHRASES: &[Phrase] = &[
    // Credentials.
    en(Credentials, "verify your account"),
    en(Credentials, "verify your identity"),
    en(Credentials, "confirm your identity"),
    en(Credentials, "confirm your account"),
    en(Credentials, "validate your account"),
    en(Credentials, "update your account information"),
    en(Credentials, "update your account details"),
    en(Credentials, "update your billing information"),
    en(Credentials, "update your payment information"),
    en(Credentials, "confirm your billing information"),
    en(Credentials, "verify your billing information"),
    en(Credentials, "verify your information"),
    en(Credentials, "confirm your information"),
    en(Credentials, "re-enter your password"),
    en(Credentials, "enter your password"),
    en(Credentials, "confirm your password"),
    en(Credentials, "verify your password"),
    en(Credentials, "keep your current password"),
    en(Credentials, "keep same password"),
    en(Credentials, "your password expires"),
    en(Credentials, "your password will expire"),
    en(Credentials, "your password has expired"),
    en(Credentials, "mailbox is full"),
    en(Credentials, "mailbox quota"),
    en(Credentials, "email account will be"),
    en(Credentials, "sign in to restore"),
    en(Credentials, "log in to restore"),
    en(Credentials, "login to restore"),
    en(Credentials, "restore your account"),
    en(Credentials, "reactivate your account"),
    en(Credentials, "unlock your account"),
    en(Credentials, "your account has been limited"),
    en(Credentials, "your account has been suspended"),
    en(Credentials, "your account has been locked"),
    en(Credentials, "your account has been disabled"),
    en(Credentials, "your account will be suspended"),
    en(Credentials, "your account will be closed"),
    en(Credentials, "your account will be locked"),
    en(Credentials, "your account will be deactivated"),
    en(Credentials, "your account will be terminated"),
    en(Credentials, "unusual sign-in activity"),
    en(Credentials, "unusual activity in your account"),
    en(Credentials, "unauthorized access to your account"),
    en(Credentials, "unauthorized login attempt"),
    en(Credentials, "social security number"),
    en(Credentials, "card verification"),
    en(Credentials, "atm pin"),
    // Urgency and threats.
    en(Urgency, "within 24 hours"),
    en(Urgency, "within 48 hours"),
    en(Urgency, "within 12 hours"),
    en(Urgency, "immediate action required"),
    en(Urgency, "action required"),
    en(Urgency, "urgent action"),
    en(Urgency, "respond immediately"),
    en(Urgency, "final notice"),
    en(Urgency, "final warning"),
    en(Urgency, "last warning"),
    en(Urgency, "failure to do so"),
    en(Urgency, "failure to comply"),
    en(Urgency, "permanently deleted"),
    en(Urgency, "permanently suspended"),
    en(Urgency, "legal action"),
    en(Urgency, "avoid suspension"),
    en(Urgency, "avoid service interruption"),
    en(Urgency, "are you available"),
    en(Urgency, "are you at your desk"),
    en(Urgency, "i need you to"),
    en(Urgency, "keep this confidential"),
    // Payment and bank-detail changes.
    en(Payment, "change of bank details"),
    en(Payment, "changed our bank"),
    en(Payment, "new bank account"),
    en(Payment, "new bank details"),
    en(Payment, "updated bank details"),
    en(Payment, "update our bank"),
    en(Payment, "our banking details"),
    en(Payment, "bank account details"),
    en(Payment, "banking information has changed"),
    en(Payment, "direct deposit"),
    en(Payment, "payroll account"),
    en(Payment, "wire transfer"),
    en(Payment, "wire the funds"),
    en(Payment, "process a payment"),
    en(Payment, "outstanding invoice"),
    en(Payment, "overdue invoice"),
    en(Payment, "overdue payment"),
    en(Payment, "remittance"),
    en(Payment, "iban"),
    en(Payment, "swift code"),
    en(Payment, "routing number"),
    // Gift cards.
    en(GiftCard, "gift card"),
    en(GiftCard, "gift cards"),
    en(GiftCard, "itunes card"),
    en(GiftCard, "apple card"),
    en(GiftCard, "google play card"),
    en(GiftCard, "steam card"),
    en(GiftCard, "amazon card"),
    en(GiftCard, "scratch the back"),
    en(GiftCard, "scratch off"),
    en(GiftCard, "card codes"),
    en(GiftCard, "pictures of the cards"),
    // Lures.
    en(Lure, "invoice attached"),
    en(Lure, "attached invoice"),
    en(Lure, "view invoice"),
    en(Lure, "view document"),
    en(Lure, "view the document"),
    en(Lure, "review document"),
    en(Lure, "review and sign"),
    en(Lure, "please docusign"),
    en(Lure, "sign the document"),
    en(Lure, "document has been shared"),
    en(Lure, "shared a document"),
    en(Lure, "shared a file"),
    en(Lure, "shared with you"),
    en(Lure, "secure document"),
    en(Lure, "secure message"),
    en(Lure, "encrypted message"),
    en(Lure, "voice message"),
    en(Lure, "voicemail"),
    en(Lure, "missed call"),
    en(Lure, "fax message"),
    en(Lure, "new fax"),
    en(Lure, "scan the qr code"),
    en(Lure, "scan the code"),
    en(Lure, "scan this qr"),
    en(Lure, "qr code below"),
    en(Lure, "multi-factor authentication"),
    en(Lure, "two-factor authentication"),
    en(Lure, "authentication code"),
    en(Lure, "approve the sign-in"),
    en(Lure, "approve the request"),
    en(Lure, "delivery failed"),
    en(Lure, "package could not be delivered"),
    en(Lure, "shipment on hold"),
    en(Lure, "tax refund"),
    en(Lure, "refund pending"),
    en(Lure, "you have received a payment"),
];

/// Words that, followed by a short token, state a password (used next to encrypted
/// archives). Same provenance; several languages because this is one word each.
pub const PASSWORD_WORDS: &[Phrase] = &[
    Phrase {
        cue: Lure,
        lang: "en",
        text: "password",
    },
    Phrase {
        cue: Lure,
        lang: "en",
        text: "passcode",
    },
    Phrase {
        cue: Lure,
        lang: "en",
        text: "pwd",
    },
    Phrase {
        cue: Lure,
        lang: "de",
        text: "passwort",
    },
    Phrase {
        cue: Lure,
        lang: "de",
        text: "kennwort",
    },
    Phrase {
        cue: Lure,
        lang: "fr",
        text: "mot de passe",
    },
    Phrase {
        cue: Lure,
        lang: "es",
        text: "contraseña",
    },
    Phrase {
        cue: Lure,
        lang: "it",
        text: "parola d'ordine",
    },
    Phrase {
        cue: Lure,
        lang: "pt",
        text: "senha",
    },
    Phrase {
        cue: Lure,
        lang: "nl",
        text: "wachtwoord",
    },
];

/// Words attackers disguise with look-alike letters: brands and account vocabulary
/// (lower case, Latin). The policy's protected brand names are added at run time.
pub const DISGUISED_WORDS: &[&str] = &[
    "paypal",
    "apple",
    "icloud",
    "microsoft",
    "office",
    "outlook",
    "onedrive",
    "sharepoint",
    "amazon",
    "netflix",
    "google",
    "gmail",
    "facebook",
    "instagram",
    "whatsapp",
    "linkedin",
    "dhl",
    "fedex",
    "ups",
    "usps",
    "docusign",
    "dropbox",
    "adobe",
    "ebay",
    "chase",
    "wellsfargo",
    "citibank",
    "coinbase",
    "binance",
    "metamask",
    "spotify",
    "bank",
    "password",
    "account",
    "verify",
    "verification",
    "login",
    "security",
    "invoice",
    "payment",
    "support",
];
