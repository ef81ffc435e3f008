//! `brand-sender-unverified`: From is a protected brand's own address, but nothing shows the
//! brand sent the message.
//!
//! **What it detects.** A `From` address at one of a protected brand's genuine domains
//! (`service@paypal.com`, a policy brand's domain) while (a) no trusted receiver recorded an
//! authentication result for the message (no DMARC verdict at all), and (b) no `Received` hop
//! names a server of that brand, or of a shared sending platform that might send on its behalf
//! (Google Workspace, Microsoft 365, the large bulk-mail services). Connecting servers count by
//! the reverse-DNS name the receiver recorded, by the name they gave themselves only where none
//! was recorded, and not at all when the receiver found none (`from paypal.com (unknown
//! [192.0.2.1])`).
//!
//! **Why it matters.** Forging the `From` header is free: "PayPal <service@paypal.com>" sent
//! straight from a hijacked home computer looks perfect in every mail app. Big brands publish
//! strict DMARC policies precisely against this, but mail systems that do not stamp their
//! verdict (or hosts that hand over only the headers) leave the reader with nothing to go on
//! but the trail of servers, and a brand's mail always starts at the brand's or its mail
//! provider's servers.
//!
//! **Grading.** High (45), as `display-name-impersonation` for a brand's name on a foreign
//! address: here the brand's very address is forged, which says no less. Not judged when any hop passed through a shared platform (the
//! brand may use it), for free-mail addresses (people, not the brand), for mailing lists, or
//! without `Received` headers. When a trusted receiver
//! did evaluate DMARC, `sender-authentication-failed` speaks instead.
//!
//! **Known false positives.** A brand sending through a small provider not on the shared list,
//! with a receiving system that records no authentication results (add the provider's domain to
//! the brand's domains in the policy, or have the receiver stamp Authentication-Results).

use super::{Input, Rule, address_evidence, finding, header_location};
use crate::domain::is_freemail;
use crate::policy::domain_within;
use crate::report::{AddressRole, Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "brand-sender-unverified",
    summary: "From is a brand's own address, but no server of the brand handled the message",
    check,
};

/// Platforms that send mail for many organisations: a hop through one of them could be the
/// brand's own outbound mail, so the trail proves nothing either way. Registrable domains of
/// the platforms' server names (from their published sending-infrastructure documentation).
const SHARED_PLATFORMS: &[&str] = &[
    // Hosted mailboxes (Google Workspace, Microsoft 365, Yahoo, Zoho, Apple).
    "google.com",
    "googlemail.com",
    "outlook.com",
    "microsoft.com",
    "office365.com",
    "yahoo.com",
    "yahoodns.net",
    "zoho.com",
    "zohomail.com",
    "icloud.com",
    "apple.com",
    // Bulk and transactional sending services.
    "amazonses.com",
    "sendgrid.net",
    "mcsv.net",
    "rsgsv.net",
    "mcdlv.net",
    "mandrillapp.com",
    "mailchimp.com",
    "exacttarget.com",
    "exct.net",
    "sparkpostmail.com",
    "mailgun.net",
    "mailgun.org",
    "mtasv.net",
    "postmarkapp.com",
    "salesforce.com",
    "responsys.net",
    "rsys2.net",
    "rsys5.net",
    "mktomail.com",
    "marketo.org",
    "hubspotemail.net",
    "sendinblue.com",
    "brevo.com",
    "constantcontact.com",
    "ccsend.com",
    "emarsys.net",
    "cmail19.com",
    "cmail20.com",
    "mailjet.com",
    "zendesk.com",
    "freshdesk.com",
    "sailthru.com",
    "bronto.com",
    "messagelabs.com",
    "mimecast.com",
    "pphosted.com",
    "ppe-hosted.com",
    "iphmx.com",
    "barracudanetworks.com",
];

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    let Some(from) = mail.author() else { return };
    if from.domain.is_empty()
        || mail.received.is_empty()
        || mail.is_list
        || (input.auth.believed && (input.auth.dmarc.is_some() || input.auth.compauth.is_some()))
        || input.policy.is_org_domain(&from.domain)
        // Personal accounts at a mail provider are people, not the brand; a provider missing
        // from the trail is `provider-missing-from-chain`'s to judge.
        || is_freemail(&from.domain)
    {
        return;
    }
    // One hash lookup rules out almost every sender before the brands are walked.
    if !input.protected.is_genuine(&from.domain) {
        return;
    }
    let Some(brand) = input
        .protected
        .brands()
        .find(|b| b.domains.iter().any(|d| domain_within(&from.domain, d)))
    else {
        return;
    };
    // A pass the receiver recorded without a DMARC verdict still ties the mail to the brand.
    let brand_domain = |d: &str| brand.domains.iter().any(|b| domain_within(d, b));
    if input.auth.dkim_pass_domains.iter().any(|d| brand_domain(d))
        || (input.auth.spf.as_deref() == Some("pass")
            && input.auth.spf_domain.as_deref().is_some_and(brand_domain))
    {
        return;
    }
    let known = |host: Option<&str>| {
        host.is_some_and(|h| {
            brand_domain(h) || SHARED_PLATFORMS.iter().any(|p| domain_within(h, p))
        })
    };
    // The name the receiving server looked up beats the name the client gave (which is free).
    if mail
        .received
        .iter()
        .any(|hop| known(hop.by_host.as_deref()) || known(hop.from_name()))
    {
        return;
    }
    let genuine = brand
        .domains
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    out.push(finding(
        &RULE,
        Severity::High,
        45,
        format!(
            "Claims to be from {} but no {} server sent it",
            from.domain, brand.name
        ),
        format!(
            "The sender's address is {}, an address of {}, but none of the {} servers that passed this \
             message along belongs to {} ({genuine}) or to a mail service it could use, and no receiving \
             server confirmed the address. The sender's address was probably forged.",
            from.address,
            brand.name,
            mail.received.len(),
            brand.name
        ),
        vec![
            address_evidence(AddressRole::From, from),
            Evidence::Text {
                text: format!(
                    "{} Received hops, none at {} or a shared mail platform",
                    mail.received.len(),
                    brand.name
                ),
            },
        ],
        header_location("Received"),
    ));
}
