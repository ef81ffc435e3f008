//! Reference lists for link analysis, each entry with its reason and source.
//!
//! Provenance: written by the Mailward team in 2026 from the vendors' public documentation of
//! their link formats and from the maintainers' knowledge of how each service is (ab)used;
//! nothing here is fetched at run time. To update: edit this file, keep one reason and one
//! source per entry, and add a fixture when an entry changes a verdict. Hosts are lower-case
//! ASCII; an entry matches the host itself and its subdomains.

/// One listed host (and optional path prefix).
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// Host suffix: matches the host and its subdomains.
    pub host: &'static str,
    /// Path prefix the entry is limited to (lower case), or "" for any path.
    pub path: &'static str,
    /// Why it is listed.
    pub reason: &'static str,
    /// Where the fact comes from.
    pub source: &'static str,
}

const fn e(
    host: &'static str,
    path: &'static str,
    reason: &'static str,
    source: &'static str,
) -> Entry {
    Entry {
        host,
        path,
        reason,
        source,
    }
}

/// Single-target redirectors: the destination is in a query parameter, so the link can be
/// unwrapped without following it. `(entry, parameter)`.
pub const REDIRECTORS: &[(Entry, &str)] = &[
    (
        e(
            "l.facebook.com",
            "/l.php",
            "Facebook's outbound link redirector",
            "the u= parameter of links Facebook rewrites",
        ),
        "u",
    ),
    (
        e(
            "lm.facebook.com",
            "/l.php",
            "Facebook mobile outbound link redirector",
            "the u= parameter of links Facebook rewrites",
        ),
        "u",
    ),
    (
        e(
            "l.instagram.com",
            "/",
            "Instagram's outbound link redirector",
            "the u= parameter of links Instagram rewrites",
        ),
        "u",
    ),
    (
        e(
            "l.messenger.com",
            "/l.php",
            "Messenger's outbound link redirector",
            "the u= parameter of links Messenger rewrites",
        ),
        "u",
    ),
    (
        e(
            "out.reddit.com",
            "/",
            "Reddit's outbound link redirector",
            "the url= parameter of Reddit outbound links",
        ),
        "url",
    ),
    (
        e(
            "slack-redir.net",
            "/link",
            "Slack's outbound link redirector",
            "the url= parameter of Slack outbound links",
        ),
        "url",
    ),
    (
        e(
            "href.li",
            "/",
            "anonymous referrer-hiding redirector",
            "href.li takes the target after '?'",
        ),
        "",
    ),
    (
        e(
            "youtube.com",
            "/redirect",
            "YouTube's outbound link redirector (descriptions, comments)",
            "the q= parameter of YouTube redirect links",
        ),
        "q",
    ),
    (
        e(
            "www.youtube.com",
            "/redirect",
            "YouTube's outbound link redirector (descriptions, comments)",
            "the q= parameter of YouTube redirect links",
        ),
        "q",
    ),
    (
        e(
            "steamcommunity.com",
            "/linkfilter/",
            "Steam's outbound link filter",
            "the url= (older: u=) parameter of Steam link filter pages",
        ),
        "url",
    ),
    (
        e(
            "vk.com",
            "/away.php",
            "VK's outbound link redirector",
            "the to= parameter of VK away links",
        ),
        "to",
    ),
    (
        e(
            "exit.sc",
            "/",
            "Snapchat's outbound link redirector",
            "the url= parameter of Snapchat exit links",
        ),
        "url",
    ),
    (
        e(
            "www.linkedin.com",
            "/redir/redirect",
            "LinkedIn's outbound link redirector",
            "the url= parameter of LinkedIn redirect links",
        ),
        "url",
    ),
    (
        e(
            "t.umblr.com",
            "/redirect",
            "Tumblr's outbound link redirector",
            "the z= parameter of Tumblr redirect links",
        ),
        "z",
    ),
    (
        e(
            "away.vk.com",
            "/away.php",
            "VK's outbound link redirector",
            "the to= parameter of VK away links",
        ),
        "to",
    ),
];

/// Link shorteners: the destination is not visible without following the link.
pub const SHORTENERS: &[Entry] = &[
    e("bit.ly", "", "Bitly public link shortener", "bitly.com"),
    e("bitly.com", "", "Bitly public link shortener", "bitly.com"),
    e("j.mp", "", "Bitly's second short domain", "bitly.com"),
    e(
        "tinyurl.com",
        "",
        "TinyURL public link shortener",
        "tinyurl.com",
    ),
    e(
        "t.co",
        "",
        "X (Twitter) link shortener",
        "every link posted on X is wrapped in t.co",
    ),
    e(
        "goo.gl",
        "",
        "Google URL Shortener (retired 2019; old links still resolve)",
        "Google Developers blog, 2018 deprecation notice",
    ),
    e("ow.ly", "", "Hootsuite link shortener", "hootsuite.com"),
    e("is.gd", "", "is.gd public link shortener", "is.gd"),
    e("v.gd", "", "is.gd's sister shortener", "v.gd"),
    e("buff.ly", "", "Buffer link shortener", "buffer.com"),
    e(
        "rebrand.ly",
        "",
        "Rebrandly link shortener",
        "rebrandly.com",
    ),
    e("cutt.ly", "", "Cuttly public link shortener", "cutt.ly"),
    e(
        "shorturl.at",
        "",
        "ShortURL public link shortener",
        "shorturl.at",
    ),
    e("rb.gy", "", "Free URL Shortener (rb.gy)", "rb.gy"),
    e("tiny.cc", "", "tiny.cc public link shortener", "tiny.cc"),
    e("t.ly", "", "T.LY public link shortener", "t.ly"),
    e("s.id", "", "s.id public link shortener", "s.id"),
    e("shorte.st", "", "ad-supported link shortener", "shorte.st"),
    e("adf.ly", "", "ad-supported link shortener", "adf.ly"),
    e(
        "lnkd.in",
        "",
        "LinkedIn link shortener",
        "every link posted on LinkedIn is wrapped in lnkd.in",
    ),
    e(
        "tiny.one",
        "",
        "TinyURL's alternative domain",
        "tinyurl.com",
    ),
    e(
        "qrco.de",
        "",
        "QR Code Generator's short links (used in QR-code phishing)",
        "qr-code-generator.com",
    ),
    e("urlz.fr", "", "French public link shortener", "urlz.fr"),
    e("shrtco.de", "", "public link shortener API", "shrtco.de"),
    e("clck.ru", "", "Yandex link shortener", "clck.ru"),
    e("u.to", "", "public link shortener", "u.to"),
    e("x.gd", "", "public link shortener", "x.gd"),
    e("surl.li", "", "public link shortener", "surl.li"),
];

/// E-mail service providers' click-tracking hosts: newsletters legitimately show
/// "www.brand.com" over a link to one of these, which then redirects to the brand.
pub const ESP_TRACKERS: &[Entry] = &[
    e(
        "list-manage.com",
        "",
        "Mailchimp click tracking",
        "Mailchimp help: links are rewritten to <account>.list-manage.com/track/click",
    ),
    e(
        "mailchi.mp",
        "",
        "Mailchimp hosted campaign pages",
        "Mailchimp help",
    ),
    e(
        "sendgrid.net",
        "",
        "Twilio SendGrid click tracking (ct.sendgrid.net / u<id>.ct.sendgrid.net)",
        "SendGrid docs: click tracking",
    ),
    e(
        "mandrillapp.com",
        "",
        "Mailchimp Transactional (Mandrill) click tracking",
        "Mandrill docs: click tracking",
    ),
    e(
        "createsend.com",
        "",
        "Campaign Monitor click tracking",
        "Campaign Monitor help: link tracking",
    ),
    e(
        "createsend1.com",
        "",
        "Campaign Monitor click tracking",
        "Campaign Monitor help: link tracking",
    ),
    e(
        "cmail19.com",
        "",
        "Campaign Monitor click tracking",
        "Campaign Monitor tracked links",
    ),
    e(
        "cmail20.com",
        "",
        "Campaign Monitor click tracking",
        "Campaign Monitor tracked links",
    ),
    e(
        "rs6.net",
        "",
        "Constant Contact click tracking",
        "Constant Contact help: click tracking",
    ),
    e(
        "exacttarget.com",
        "",
        "Salesforce Marketing Cloud click tracking",
        "Salesforce Marketing Cloud docs",
    ),
    e(
        "exct.net",
        "",
        "Salesforce Marketing Cloud click tracking",
        "Salesforce Marketing Cloud docs",
    ),
    e(
        "hubspotlinks.com",
        "",
        "HubSpot click tracking",
        "HubSpot knowledge base: email click tracking",
    ),
    e(
        "hs-analytics.net",
        "",
        "HubSpot tracking",
        "HubSpot knowledge base",
    ),
    e(
        "hubspotemail.net",
        "",
        "HubSpot click tracking",
        "HubSpot knowledge base: email click tracking",
    ),
    e(
        "klclick.com",
        "",
        "Klaviyo click tracking",
        "Klaviyo help: click tracking",
    ),
    e(
        "klclick1.com",
        "",
        "Klaviyo click tracking",
        "Klaviyo help: click tracking",
    ),
    e(
        "klclick2.com",
        "",
        "Klaviyo click tracking",
        "Klaviyo help: click tracking",
    ),
    e(
        "klclick3.com",
        "",
        "Klaviyo click tracking",
        "Klaviyo help: click tracking",
    ),
    e(
        "mjt.lu",
        "",
        "Mailjet click tracking",
        "Mailjet docs: click tracking",
    ),
    e(
        "sendibt2.com",
        "",
        "Brevo (Sendinblue) click tracking",
        "Brevo help: tracked links",
    ),
    e(
        "sendibt3.com",
        "",
        "Brevo (Sendinblue) click tracking",
        "Brevo help: tracked links",
    ),
    e(
        "sendibm1.com",
        "",
        "Brevo (Sendinblue) click tracking",
        "Brevo help: tracked links",
    ),
    e(
        "awstrack.me",
        "",
        "Amazon SES click tracking",
        "Amazon SES developer guide: open and click tracking",
    ),
    e(
        "sparkpostmail.com",
        "",
        "SparkPost click tracking",
        "SparkPost docs: tracking domains",
    ),
    e(
        "spgo.io",
        "",
        "SparkPost click tracking",
        "SparkPost docs: tracking domains",
    ),
    e(
        "eloqua.com",
        "",
        "Oracle Eloqua click tracking",
        "Oracle Eloqua docs",
    ),
    e(
        "mktoweb.com",
        "",
        "Adobe Marketo tracked links",
        "Marketo docs: link tracking",
    ),
    e(
        "pstmrk.it",
        "",
        "Postmark click tracking",
        "Postmark docs: link tracking",
    ),
    e(
        "mlsend.com",
        "",
        "MailerLite click tracking",
        "MailerLite help",
    ),
    e(
        "acemlna.com",
        "",
        "ActiveCampaign click tracking",
        "ActiveCampaign help: link tracking",
    ),
    e(
        "acemlnb.com",
        "",
        "ActiveCampaign click tracking",
        "ActiveCampaign help: link tracking",
    ),
    e(
        "acemlnc.com",
        "",
        "ActiveCampaign click tracking",
        "ActiveCampaign help: link tracking",
    ),
    e(
        "acemlnd.com",
        "",
        "ActiveCampaign click tracking",
        "ActiveCampaign help: link tracking",
    ),
    e(
        "convertkit-mail.com",
        "",
        "Kit (ConvertKit) click tracking",
        "Kit help: link tracking",
    ),
    e(
        "convertkit-mail2.com",
        "",
        "Kit (ConvertKit) click tracking",
        "Kit help: link tracking",
    ),
    e(
        "aweber.com",
        "",
        "AWeber click tracking (clicks.aweber.com)",
        "AWeber help: click tracking",
    ),
    e(
        "beehiiv.com",
        "",
        "beehiiv newsletter click tracking",
        "beehiiv help",
    ),
    e(
        "substack.com",
        "/redirect/",
        "Substack newsletter click tracking",
        "Substack newsletter links",
    ),
    e(
        "customer.io",
        "",
        "Customer.io click tracking (track.customer.io)",
        "Customer.io docs: link tracking",
    ),
    e(
        "mailgun.org",
        "",
        "Mailgun click tracking",
        "Mailgun docs: tracking",
    ),
    e(
        "mailgun.net",
        "",
        "Mailgun click tracking",
        "Mailgun docs: tracking",
    ),
    e(
        "emarsys.net",
        "",
        "SAP Emarsys click tracking",
        "Emarsys help",
    ),
    e(
        "bnc.lt",
        "",
        "Branch deep-link click tracking used by app newsletters",
        "Branch docs",
    ),
    e(
        "app.link",
        "",
        "Branch deep-link click tracking used by app newsletters",
        "Branch docs",
    ),
    e(
        "icptrack.com",
        "",
        "iContact click tracking",
        "iContact help",
    ),
];

/// Link-protection rewriters whose destination is not in the URL (it is looked up on their
/// server), so they cannot be unwrapped here; some add the destination's domain as a hint.
pub const OPAQUE_REWRITERS: &[Entry] = &[
    e(
        "mimecastprotect.com",
        "",
        "Mimecast URL Protect (destination stored server-side; ?domain= hint)",
        "Mimecast URL Protect documentation",
    ),
    e(
        "protect-us.mimecast.com",
        "",
        "Mimecast URL Protect, older host",
        "Mimecast URL Protect documentation",
    ),
    e(
        "protect-eu.mimecast.com",
        "",
        "Mimecast URL Protect, older host",
        "Mimecast URL Protect documentation",
    ),
    e(
        "linkprotect.cudasvc.com",
        "",
        "Barracuda Link Protection",
        "Barracuda Email Protection documentation",
    ),
    e(
        "secure-web.cisco.com",
        "",
        "Cisco Secure Email URL rewriting",
        "Cisco Secure Email documentation",
    ),
    e(
        "clicktime.symantec.com",
        "",
        "Symantec/Broadcom Email Security.cloud click-time protection",
        "Broadcom documentation",
    ),
    e(
        "urlsand.esvalabs.com",
        "",
        "ESVA Labs URL sandbox",
        "observed rewritten links",
    ),
];

/// Free hosting, app platforms, form builders and IPFS gateways: anyone can publish a page
/// there in minutes under the provider's reputation, so credential-phishing pages favour them.
pub const FREE_HOSTING: &[Entry] = &[
    e(
        "web.app",
        "",
        "Firebase Hosting: free static sites",
        "Firebase docs; widely reported in credential phishing",
    ),
    e(
        "firebaseapp.com",
        "",
        "Firebase Hosting (legacy domain)",
        "Firebase docs; widely reported in credential phishing",
    ),
    e(
        "firebasestorage.googleapis.com",
        "",
        "Firebase Storage: public files, HTML served",
        "Firebase docs; phishing reports",
    ),
    e(
        "storage.googleapis.com",
        "",
        "Google Cloud Storage public buckets serving HTML",
        "Google Cloud docs; phishing reports",
    ),
    e(
        "pages.dev",
        "",
        "Cloudflare Pages: free static sites",
        "Cloudflare docs; phishing reports",
    ),
    e(
        "workers.dev",
        "",
        "Cloudflare Workers: free scripts on a shared domain",
        "Cloudflare docs; phishing reports",
    ),
    e(
        "r2.dev",
        "",
        "Cloudflare R2 public buckets",
        "Cloudflare docs; phishing reports",
    ),
    e(
        "netlify.app",
        "",
        "Netlify: free static sites",
        "Netlify docs; phishing reports",
    ),
    e(
        "vercel.app",
        "",
        "Vercel: free deployments",
        "Vercel docs; phishing reports",
    ),
    e(
        "glitch.me",
        "",
        "Glitch: free app hosting",
        "Glitch docs; phishing reports",
    ),
    e(
        "herokuapp.com",
        "",
        "Heroku app hosting on a shared domain",
        "Heroku docs; phishing reports",
    ),
    e(
        "onrender.com",
        "",
        "Render: free web services on a shared domain",
        "Render docs; phishing reports",
    ),
    e(
        "github.io",
        "",
        "GitHub Pages: free static sites",
        "GitHub docs; phishing reports",
    ),
    e(
        "gitlab.io",
        "",
        "GitLab Pages: free static sites",
        "GitLab docs; phishing reports",
    ),
    e(
        "repl.co",
        "",
        "Replit hosted apps",
        "Replit docs; phishing reports",
    ),
    e(
        "replit.app",
        "",
        "Replit hosted apps",
        "Replit docs; phishing reports",
    ),
    e(
        "weebly.com",
        "",
        "Weebly free site builder",
        "Weebly; phishing reports",
    ),
    e("wixsite.com", "", "Wix free sites", "Wix; phishing reports"),
    e(
        "webflow.io",
        "",
        "Webflow free staging sites",
        "Webflow; phishing reports",
    ),
    e(
        "godaddysites.com",
        "",
        "GoDaddy website builder free sites",
        "GoDaddy; phishing reports",
    ),
    e(
        "square.site",
        "",
        "Square Online free sites",
        "Square; phishing reports",
    ),
    e(
        "blogspot.com",
        "",
        "Blogger free blogs",
        "Google Blogger; phishing reports",
    ),
    e(
        "000webhostapp.com",
        "",
        "000webhost free hosting",
        "000webhost; phishing reports",
    ),
    e(
        "sites.google.com",
        "",
        "Google Sites: free pages on google.com",
        "Google Sites; phishing reports",
    ),
    e(
        "docs.google.com",
        "/forms/",
        "Google Forms can collect passwords under google.com",
        "Google Forms shows a 'never submit passwords' warning for this reason",
    ),
    e("forms.gle", "", "Google Forms short links", "Google Forms"),
    e(
        "forms.office.com",
        "",
        "Microsoft Forms can collect passwords under office.com",
        "Microsoft Forms shows a password warning for this reason",
    ),
    e(
        "typeform.com",
        "",
        "Typeform form builder",
        "Typeform; phishing reports",
    ),
    e(
        "jotform.com",
        "",
        "Jotform form builder",
        "Jotform; phishing reports",
    ),
    e(
        "blob.core.windows.net",
        "",
        "Azure Blob Storage public containers serving HTML",
        "Azure docs; phishing reports",
    ),
    e(
        "web.core.windows.net",
        "",
        "Azure Storage static websites",
        "Azure docs; phishing reports",
    ),
    e(
        "azurewebsites.net",
        "",
        "Azure App Service on a shared domain",
        "Azure docs; phishing reports",
    ),
    e(
        "amazonaws.com",
        "",
        "AWS S3 and other public endpoints on a shared domain",
        "AWS docs; phishing reports",
    ),
    e(
        "ipfs.io",
        "/ipfs/",
        "IPFS public gateway: content that cannot be taken down",
        "ipfs.io; IPFS phishing reports",
    ),
    e(
        "ipfs.dweb.link",
        "",
        "IPFS subdomain gateway",
        "dweb.link; IPFS phishing reports",
    ),
    e(
        "dweb.link",
        "/ipfs/",
        "IPFS public gateway",
        "dweb.link; IPFS phishing reports",
    ),
    e(
        "cloudflare-ipfs.com",
        "",
        "Cloudflare's (retired) IPFS gateway",
        "Cloudflare; IPFS phishing reports",
    ),
    e(
        "gateway.pinata.cloud",
        "",
        "Pinata IPFS gateway",
        "Pinata; IPFS phishing reports",
    ),
    e(
        "ipfs.w3s.link",
        "",
        "web3.storage IPFS gateway",
        "web3.storage; IPFS phishing reports",
    ),
    e(
        "nftstorage.link",
        "",
        "NFT.Storage IPFS gateway",
        "nft.storage; IPFS phishing reports",
    ),
    e(
        "ngrok.io",
        "",
        "ngrok tunnels to an attacker's machine",
        "ngrok docs; phishing reports",
    ),
    e(
        "ngrok-free.app",
        "",
        "ngrok free tunnels",
        "ngrok docs; phishing reports",
    ),
    e(
        "trycloudflare.com",
        "",
        "Cloudflare quick tunnels",
        "Cloudflare docs; phishing reports",
    ),
];

/// Top-level domains whose registrations are dominated by abuse (cheap or free names, weak
/// enforcement). Matched on the last label.
pub const SUSPICIOUS_TLDS: &[Entry] = &[
    e(
        "top",
        "",
        "cheap registrations; long among the most abused TLDs",
        "Spamhaus and Interisle phishing-landscape reports",
    ),
    e(
        "xyz",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus and Interisle reports",
    ),
    e(
        "tk",
        "",
        "formerly free Freenom TLD, abuse-dominated",
        "Interisle 2022 phishing landscape",
    ),
    e(
        "ml",
        "",
        "formerly free Freenom TLD, abuse-dominated",
        "Interisle 2022 phishing landscape",
    ),
    e(
        "ga",
        "",
        "formerly free Freenom TLD, abuse-dominated",
        "Interisle 2022 phishing landscape",
    ),
    e(
        "cf",
        "",
        "formerly free Freenom TLD, abuse-dominated",
        "Interisle 2022 phishing landscape",
    ),
    e(
        "gq",
        "",
        "formerly free Freenom TLD, abuse-dominated",
        "Interisle 2022 phishing landscape",
    ),
    e(
        "buzz",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "click",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "link",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "rest",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "cfd",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "sbs",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "bond",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "cyou",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "icu",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "zip",
        "",
        "looks like a file name in link text",
        "Google's 2023 launch; security vendors' warnings",
    ),
    e(
        "mov",
        "",
        "looks like a file name in link text",
        "Google's 2023 launch; security vendors' warnings",
    ),
    e(
        "country",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "gdn",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "work",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "support",
        "",
        "used for fake help-desk and account pages",
        "phishing reports",
    ),
    e(
        "lat",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "qpon",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
    e(
        "monster",
        "",
        "cheap registrations, high abuse share",
        "Spamhaus TLD reputation",
    ),
];

/// The entry of `list` whose host suffix (and path prefix) matches.
pub fn lookup<'a>(list: &'a [Entry], host: &str, path: &str) -> Option<&'a Entry> {
    list.iter().find(|e| {
        crate::policy::domain_within(host, e.host)
            && (e.path.is_empty()
                || path
                    .get(..e.path.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(e.path)))
    })
}

/// The suspicious-TLD entry for `host`'s last label.
pub fn suspicious_tld(host: &str) -> Option<&'static Entry> {
    let tld = host.rsplit('.').next()?;
    SUSPICIOUS_TLDS
        .iter()
        .find(|e| e.host.eq_ignore_ascii_case(tld))
}
