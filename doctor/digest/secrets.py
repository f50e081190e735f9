"""Vendor token formats as data: what a secret looks like, and where the vendor says so.

Each `TokenRule` is a secret with a fixed, documented prefix. The redactor finds
the line's long tokens (runs of `[A-Za-z0-9_.+/~-]`) in one linear pass and
tries a rule only on a token that starts with one of its prefixes, anchored at
that token's start: no rule ever scans a line. Patterns are written from the
vendors' published formats (the `source` of each rule), not copied from another
project's rule file.

Linear time is a property of every pattern here, checked by
tests/test_redact.py: every repetition is bounded and none is nested in
another, so an anchored attempt costs at most a constant.
"""

from __future__ import annotations

from typing import NamedTuple, TypedDict


class TokenRule(NamedTuple):
    kind: str
    prefixes: tuple[str, ...]  # the token starts with one of these (case as written)
    pattern: str  # matched anchored at the token's start; group 0 is the secret
    source: str  # the vendor's documentation of the format


# Order matters where prefixes overlap: the first rule whose pattern matches wins.
TOKEN_RULES: tuple[TokenRule, ...] = (
    TokenRule("stripe_key", ("sk_live_", "rk_live_", "sk_test_", "rk_test_"),
              r"[sr]k_(?:live|test)_[A-Za-z0-9]{24,247}", "https://docs.stripe.com/keys"),
    TokenRule("stripe_webhook_secret", ("whsec_",), r"whsec_[A-Za-z0-9+/=]{32,88}",
              "https://docs.stripe.com/webhooks#verify-events"),
    TokenRule("twilio_api_key", ("SK",), r"SK[0-9a-fA-F]{32}(?![A-Za-z0-9])",
              "https://www.twilio.com/docs/iam/api-keys"),
    TokenRule("sendgrid_key", ("SG.",), r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
              "https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys"),
    TokenRule("mailgun_key", ("key-",), r"key-[0-9a-f]{32}(?![A-Za-z0-9])",
              "https://documentation.mailgun.com/docs/mailgun/api-reference/authentication"),
    TokenRule("slack_token", ("xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-", "xoxe"),
              r"xox(?:[abposr]|e(?:\.xox[bp])?)-[A-Za-z0-9-]{10,250}", "https://api.slack.com/concepts/token-types"),
    TokenRule("slack_app_token", ("xapp-",), r"xapp-[0-9]-[A-Za-z0-9-]{20,200}",
              "https://api.slack.com/concepts/token-types#app-level"),
    TokenRule("github_token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), r"gh[pousr]_[A-Za-z0-9]{36,251}",
              "https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/"),
    TokenRule("github_token", ("github_pat_",), r"github_pat_[A-Za-z0-9_]{22,255}",
              "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens"),
    TokenRule("gitlab_token", ("glpat-", "gldt-", "glrt-", "glcbt-", "glptt-", "glft-", "glimt-", "glagent-", "gloas-",
                               "glsoat-", "glffct-", "GR1348941"),
              r"(?:gl(?:pat|dt|rt|cbt|ptt|ft|imt|agent|oas|soat|ffct)-|GR1348941)[A-Za-z0-9_.-]{20,200}",
              "https://docs.gitlab.com/security/tokens/#token-prefixes"),
    TokenRule("npm_token", ("npm_",), r"npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])",
              "https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/"),
    TokenRule("pypi_token", ("pypi-AgE",), r"pypi-AgE[A-Za-z0-9_-]{50,1000}", "https://pypi.org/help/#apitoken"),
    TokenRule("rubygems_key", ("rubygems_",), r"rubygems_[a-f0-9]{48}", "https://guides.rubygems.org/api-key-scopes/"),
    TokenRule("nuget_key", ("oy2",), r"oy2[a-z0-9]{43}(?![A-Za-z0-9])",
              "https://learn.microsoft.com/en-us/nuget/nuget-org/scoped-api-keys"),
    TokenRule("clojars_token", ("CLOJARS_",), r"CLOJARS_[a-z0-9]{60}", "https://github.com/clojars/clojars-web/wiki/Deploy-Tokens"),
    TokenRule("artifactory_token", ("AKCp",), r"AKCp[A-Za-z0-9]{69}", "https://jfrog.com/help/r/jfrog-platform-administration-documentation/api-key"),
    TokenRule("nats_nkey_seed", ("SU", "SA", "SO", "SN", "SC", "SX"), r"S[UAONCX][A-Z2-7]{56}(?![A-Za-z0-9])",
              "https://github.com/nats-io/nkeys"),  # 'S' and the key's type, then base32: the private seed
    TokenRule("dockerhub_token", ("dckr_pat_", "dckr_oat_"), r"dckr_[po]at_[A-Za-z0-9_-]{27,60}",
              "https://docs.docker.com/security/for-developers/access-tokens/"),
    TokenRule("aws_access_key", ("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ABIA", "ACCA"),
              r"A(?:KIA|SIA|GPA|IDA|ROA|IPA|NPA|NVA|BIA|CCA)[A-Z0-9]{16}(?![A-Za-z0-9])",
              "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids"),
    TokenRule("aws_session_token", ("IQoJb3JpZ2lu", "FwoGZXIvYXdz"), r"(?:IQoJb3JpZ2lu|FwoGZXIvYXdz)[A-Za-z0-9/+=]{50,4000}",
              "https://docs.aws.amazon.com/STS/latest/APIReference/API_Credentials.html"),
    TokenRule("google_api_key", ("AIza",), r"AIza[0-9A-Za-z_-]{35}", "https://cloud.google.com/docs/authentication/api-keys"),
    TokenRule("google_oauth_token", ("ya29.",), r"ya29\.[0-9A-Za-z_-]{20,2000}",
              "https://developers.google.com/identity/protocols/oauth2"),
    TokenRule("google_client_secret", ("GOCSPX-",), r"GOCSPX-[A-Za-z0-9_-]{28}",
              "https://developers.google.com/identity/protocols/oauth2/web-server#creatingcred"),
    TokenRule("digitalocean_token", ("dop_v1_", "doo_v1_", "dor_v1_"), r"do[por]_v1_[a-f0-9]{64}",
              "https://docs.digitalocean.com/reference/api/create-personal-access-token/"),
    TokenRule("heroku_key", ("HRKU-",), r"HRKU-[A-Za-z0-9_-]{20,100}", "https://devcenter.heroku.com/articles/authentication"),
    # The Things Stack's API keys and OAuth tokens, `<type>.<token id>.<token secret>` in upper-case base32
    TokenRule("things_stack_key", ("NNSXS.", "MFRWG."), r"(?:NNSXS|MFRWG)\.[A-Z2-7]{16,64}\.[A-Z2-7]{32,80}",
              "https://www.thethingsindustries.com/docs/reference/api/authentication/"),
    TokenRule("shopify_token", ("shpat_", "shpca_", "shppa_", "shpss_"), r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}",
              "https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/generate-app-access-tokens-admin"),
    TokenRule("square_token", ("EAAA", "sq0atp-", "sq0csp-"),
              r"(?:EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43})",
              "https://developer.squareup.com/docs/build-basics/access-tokens"),
    TokenRule("atlassian_token", ("ATATT3", "ATCTT3"), r"AT[AC]TT3[A-Za-z0-9_=-]{100,300}",
              "https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/"),
    TokenRule("bitbucket_app_password", ("ATBB",), r"ATBB[A-Za-z0-9_=.-]{28,60}",
              "https://support.atlassian.com/bitbucket-cloud/docs/app-passwords/"),
    TokenRule("linear_key", ("lin_api_", "lin_oauth_"), r"lin_(?:api|oauth)_[A-Za-z0-9]{40,64}",
              "https://linear.app/developers/graphql#personal-api-keys"),
    TokenRule("notion_token", ("secret_", "ntn_"), r"(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{46})",
              "https://developers.notion.com/docs/authorization"),
    TokenRule("anthropic_key", ("sk-ant-",), r"sk-ant-(?:api|admin|oat|sid)[0-9]{2}-[A-Za-z0-9_-]{40,200}",
              "https://docs.anthropic.com/en/api/overview#authentication"),
    TokenRule("openai_key", ("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-", "sk-"),
              r"sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{32,300}",
              "https://platform.openai.com/docs/api-reference/authentication"),
    TokenRule("groq_key", ("gsk_",), r"gsk_[A-Za-z0-9]{52}", "https://console.groq.com/docs/quickstart"),
    TokenRule("replicate_token", ("r8_",), r"r8_[A-Za-z0-9]{37}", "https://replicate.com/docs/topics/security/api-tokens"),
    TokenRule("huggingface_token", ("hf_",), r"hf_[A-Za-z]{34}", "https://huggingface.co/docs/hub/security-tokens"),
    TokenRule("langsmith_key", ("lsv2_pt_", "lsv2_sk_"), r"lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}",
              "https://docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key"),
    TokenRule("databricks_token", ("dapi", "dose"), r"(?:dapi|dose)[a-f0-9]{32}(?:-[0-9])?(?![A-Za-z0-9])",
              "https://docs.databricks.com/en/dev-tools/auth/pat.html"),
    TokenRule("grafana_token", ("glsa_", "glc_"), r"(?:glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})",
              "https://grafana.com/docs/grafana/latest/administration/service-accounts/"),
    TokenRule("newrelic_key", ("NRAK-", "NRII-", "NRJS-", "NRAA-"), r"NR(?:AK|II|JS|AA)-[A-Za-z0-9]{19,32}",
              "https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/"),
    # every kind in Dynatrace's table of prefixes (dt0c01 API tokens, dt0s01 OAuth clients, dt0s06 refresh tokens,
    # dt0s16 platform tokens) shares one shape: prefix, a 24-character public part, a 64-character secret
    TokenRule("dynatrace_token", ("dt0c", "dt0s"), r"dt0[cs][0-9]{2}\.[A-Z0-9]{24}\.[A-Z0-9]{64}",
              "https://docs.dynatrace.com/docs/manage/identity-access-management/access-tokens-and-oauth-clients/access-tokens"),
    # New Relic's mobile application token: 40 hexadecimal characters, written by the agents with `AA` before them
    # and `-NRMA` after (the suffix is what sets it apart from a digest)
    TokenRule("newrelic_mobile_token", ("AA",), r"AA[0-9a-f]{40}-NRMA(?![A-Za-z0-9])",
              "https://docs.newrelic.com/docs/mobile-monitoring/new-relic-mobile/maintenance/viewing-your-application-token/"),
    TokenRule("sentry_token", ("sntrys_", "sntryu_"), r"sntry[su]_[A-Za-z0-9+/=_-]{40,400}",
              "https://docs.sentry.io/account/auth-tokens/"),
    TokenRule("doppler_token", ("dp.pt.", "dp.st.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit."),
              r"dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9._-]{40,60}", "https://docs.doppler.com/docs/token-formats"),
    TokenRule("vault_token", ("hvs.", "hvb.", "hvr."), r"hv[sbr]\.[A-Za-z0-9_-]{24,200}",
              "https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes"),
    TokenRule("postman_key", ("PMAK-",), r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}",
              "https://learning.postman.com/docs/developer/postman-api/authentication/"),
    TokenRule("airtable_token", ("pat",), r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}",
              "https://airtable.com/developers/web/guides/personal-access-tokens"),
    TokenRule("mapbox_secret_token", ("sk.eyJ",), r"sk\.eyJ[A-Za-z0-9_-]{20,400}\.[A-Za-z0-9_-]{10,100}",
              "https://docs.mapbox.com/accounts/guides/tokens/#token-format"),
    TokenRule("pulumi_token", ("pul-",), r"pul-[a-f0-9]{40}",
              "https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/"),
    TokenRule("netlify_token", ("nfp_",), r"nfp_[A-Za-z0-9]{36,40}",
              "https://docs.netlify.com/api/get-started/#authentication"),
    TokenRule("supabase_token", ("sbp_", "sb_secret_"), r"(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,60})",
              "https://supabase.com/docs/guides/api/api-keys"),
    TokenRule("tailscale_key", ("tskey-",), r"tskey-(?:api|auth|client|webhook|scim)-[A-Za-z0-9]{6,40}-[A-Za-z0-9]{20,80}",
              "https://tailscale.com/kb/1085/auth-keys"),
    TokenRule("circleci_token", ("CCIPAT_",), r"CCIPAT_[A-Za-z0-9]{20,30}_[a-f0-9]{40}",
              "https://circleci.com/docs/managing-api-tokens/"),
    TokenRule("buildkite_token", ("bkua_",), r"bkua_[a-f0-9]{40}", "https://buildkite.com/docs/apis/managing-api-tokens"),
    TokenRule("contentful_token", ("CFPAT-",), r"CFPAT-[A-Za-z0-9_-]{43}",
              "https://www.contentful.com/developers/docs/references/authentication/"),
    TokenRule("onepassword_token", ("ops_eyJ",), r"ops_eyJ[A-Za-z0-9_+/=-]{100,4000}",
              "https://developer.1password.com/docs/service-accounts/"),
    TokenRule("age_secret_key", ("AGE-SECRET-KEY-1",), r"AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}",
              "https://age-encryption.org/v1"),
    TokenRule("shippo_token", ("shippo_live_", "shippo_test_"), r"shippo_(?:live|test)_[a-f0-9]{40}",
              "https://docs.goshippo.com/docs/guides_general/authentication/"),
    TokenRule("planetscale_token", ("pscale_tkn_", "pscale_pw_", "pscale_oauth_", "pscale_otkn_"),
              r"pscale_(?:tkn|pw|oauth|otkn)_[A-Za-z0-9_=.-]{32,64}",
              "https://planetscale.com/docs/concepts/service-tokens"),
    TokenRule("render_key", ("rnd_",), r"rnd_[A-Za-z0-9]{32,40}(?![A-Za-z0-9])", "https://render.com/docs/api#1-create-an-api-key"),
    TokenRule("prefect_key", ("pnu_", "pnb_"), r"pn[ub]_[A-Za-z0-9]{36}(?![A-Za-z0-9])",
              "https://docs.prefect.io/v3/manage/cloud/manage-users/api-keys"),
    TokenRule("sourcegraph_token", ("sgp_",), r"sgp_(?:[a-f0-9]{16}_)?[a-f0-9]{40}",
              "https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token"),
    TokenRule("frameio_token", ("fio-u-",), r"fio-u-[A-Za-z0-9_=-]{64}", "https://developer.frame.io/docs/getting-started/authentication"),
    TokenRule("readme_key", ("rdme_",), r"rdme_[a-z0-9]{70}", "https://docs.readme.com/main/reference/intro/authentication"),
    TokenRule("typeform_token", ("tfp_",), r"tfp_[A-Za-z0-9_.=-]{40,80}",
              "https://www.typeform.com/developers/get-started/personal-access-token/"),
    TokenRule("flutterwave_key", ("FLWSECK-", "FLWSECK_TEST-"), r"FLWSECK(?:_TEST)?-[a-f0-9]{32}-X",
              "https://developer.flutterwave.com/docs/integration-guides/authentication"),
    TokenRule("adafruit_key", ("aio_",), r"aio_[A-Za-z0-9]{28}(?![A-Za-z0-9])", "https://io.adafruit.com/api/docs/#authentication"),
    TokenRule("cloudflare_origin_ca_key", ("v1.0-",), r"v1\.0-[a-f0-9]{24}-[a-f0-9]{146}",
              "https://developers.cloudflare.com/fundamentals/api/get-started/ca-keys/"),
    TokenRule("perplexity_key", ("pplx-",), r"pplx-[A-Za-z0-9]{48}(?![A-Za-z0-9])", "https://docs.perplexity.ai/guides/getting-started"),
    TokenRule("xai_key", ("xai-",), r"xai-[A-Za-z0-9]{80}(?![A-Za-z0-9])", "https://docs.x.ai/docs/overview"),
    TokenRule("fireworks_key", ("fw_",), r"fw_[A-Za-z0-9]{24}(?![A-Za-z0-9])", "https://docs.fireworks.ai/api-reference/introduction"),
    # `db-` and 29 more, 32 characters in all: shorter after its prefix than the entropy rule's object ids allow a key
    TokenRule("databento_key", ("db-",), r"db-[A-Za-z0-9]{29}(?![A-Za-z0-9])",
              "https://databento.com/docs/api-historical/basics/authentication"),
    TokenRule("launchdarkly_key", ("sdk-", "api-"),
              r"(?:sdk|api)-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}(?![A-Za-z0-9])",
              "https://launchdarkly.com/docs/home/account/environment/keys"),
    TokenRule("scalingo_token", ("tk-us-",), r"tk-us-[A-Za-z0-9_-]{48}", "https://doc.scalingo.com/platform/user-management/api-tokens"),
    TokenRule("infracost_key", ("ico-",), r"ico-[A-Za-z0-9]{32}(?![A-Za-z0-9])", "https://www.infracost.io/docs/"),
    # Gemini (the exchange): `account-` or `master-` before the key; a mixed-case body with a digit, unlike a name
    TokenRule("gemini_exchange_key", ("account-", "master-"),
              r"(?:account|master)-(?=[a-z0-9]{0,23}[A-Z])(?=[A-Za-z]{0,23}[0-9])[A-Za-z0-9]{16,24}(?![A-Za-z0-9-])",
              "https://developer.gemini.com/trading/trading"),
    # Plaid: `[type]-[environment]-[uuid]`, a UUID that is a credential because of what precedes it
    TokenRule("plaid_token", tuple(f"{t}-{e}-" for t in ("access", "public", "link", "asset-report")
                                   for e in ("sandbox", "development", "production")),
              r"(?:access|public|link|asset-report)-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-"
              r"[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])", "https://plaid.com/docs/quickstart/glossary/"),
    # The first part of a Discord bot token is the bot's id in base64: a run of digits
    # encodes to one of these two-letter starts.
    TokenRule("discord_bot_token", ("MT", "Mj", "Mz", "ND", "NT", "Nj", "Nz", "OD", "OT"),
              r"[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}",
              "https://discord.com/developers/docs/reference#authentication"),
    # Stellar's StrKey for an ed25519 secret seed: version byte 18 << 3 and the key in 56 base32 capitals, so it opens
    # with `S` and one of A-D (an account id, `G...`, is public and stays)
    TokenRule("stellar_secret_seed", ("SA", "SB", "SC", "SD"), r"S[A-D][A-Z2-7]{54}(?![A-Za-z0-9])",
              "https://github.com/stellar/stellar-protocol/blob/master/ecosystem/sep-0023.md"),
    TokenRule("jwt", ("eyJ",), r"eyJ[A-Za-z0-9_-]{5,8000}\.eyJ[A-Za-z0-9_-]{5,8000}\.[A-Za-z0-9_-]{0,8000}",
              "https://datatracker.ietf.org/doc/html/rfc7519#section-3.1"),
)

# Secrets found by their surroundings rather than a token prefix: (kind, gate, pattern,
# group holding the secret, source). A gate is literals checked as written ("exact") or
# in the lowercased line ("lower"); the pattern runs only on a line its gate lets through.
# "long": the secret holds a run of 20 token characters, so the gate is not even checked
# on a line without one (most lines; that test is one C-speed pass, see redact._has_long_run).
_NOT_OURS = r"(?!<SECRET)(?![0-9a-f]{4}>)"  # a value that is one of our placeholders is never a secret
# curl's option for the user and password, `-u` or `--user`, before its value.
_CURL_USER = r"(?:--user|(?<!\S)-u)[ =]{1,4}"
# The punctuation that ends a named value (`password=abc, user=…`, `?token=abc&page=2`, `{"k": "v"}`), and the
# characters a value is read in: neither space, quote nor that punctuation.
VALUE_STOPS = ",;&}<>"
VALUE_CHARS = rf"[^\s\"'{VALUE_STOPS}]"
# What assigns a value to a name: `=` or a colon, but not a scope operator's `::` (Ruby's `OpenSSL::PKey::PKeyError`,
# C++'s and Rust's paths name a class, not a key's value).
_ASSIGN = r"(?:=|:(?!:))"
# What stands between a credential's name and its value: perhaps the name's closing quote, the assignment, perhaps
# the value's opening quote (`password=`, `"api_key": "`, `secret = '`).
NAME_TO_VALUE = r"[\"']?\s{0,8}" + _ASSIGN + r"\s{0,8}[\"']?"


class Gate(TypedDict, total=False):
    """What a line must hold for a context rule to run on it."""

    exact: tuple[str, ...]  # literals, as written
    lower: tuple[str, ...]  # literals, in the lowercased line
    long: bool  # the line holds a run of 20 token characters
    pre: str  # a regex the line must match first


CONTEXT_RULES: tuple[tuple[str, Gate, str, int, str], ...] = (
    ("private_key", {"exact": ("-----BEGIN",)},
     r"-----BEGIN[A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,16384}?-----END[A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----|[\s\S]*)",
     0, "https://datatracker.ietf.org/doc/html/rfc7468#section-10"),
    ("aws_secret_key", {"lower": ("secret",)},
     r"(?i:aws_?secret_?(?:access_?)?key)" + NAME_TO_VALUE + r"([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])", 1,
     "https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html"),
    ("slack_webhook", {"exact": ("hooks.slack.com",), "long": True},
     r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{1,256}", 0,
     "https://api.slack.com/messaging/webhooks"),
    ("discord_webhook", {"exact": ("/api/webhooks/",), "long": True},
     r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{5,30}/[A-Za-z0-9_-]{20,100}", 0,
     "https://discord.com/developers/docs/resources/webhook#execute-webhook"),
    ("teams_webhook", {"exact": ("webhook.office.com",), "long": True},
     r"https://[A-Za-z0-9-]{1,64}\.webhook\.office\.com/webhookb2/[A-Za-z0-9@/_-]{20,400}", 0,
     "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook"),
    ("sentry_dsn", {"exact": ("sentry",), "long": True},
     r"://([0-9a-f]{32})(?::[0-9a-f]{32})?@[A-Za-z0-9.-]{0,64}sentry", 1,
     "https://docs.sentry.io/concepts/key-terms/dsn-explainer/"),
    ("telegram_bot_token", {"exact": (":AA",), "long": True}, r"(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])", 0,
     "https://core.telegram.org/bots/api#authorizing-your-bot"),
    ("terraform_cloud_token", {"exact": (".atlasv1.",), "long": True}, r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,70}", 0,
     "https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens"),
    ("azure_storage_key", {"exact": ("AccountKey=", "SharedAccessKey="), "long": True},
     r"(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{40,90}={0,2})", 1,
     "https://learn.microsoft.com/en-us/azure/storage/common/storage-configure-connection-string"),
    # crypt(5)'s `$id$[params$]salt$hash` (shadow files, htpasswd, a config dump): the whole string is the
    # password's stand-in; its parts are too short for the entropy rule (SunMD5's `$md5,rounds=5000$salt$$hash`).
    # The PHC string format's `$argon2id$v=19$m=65536,t=3,p=4$salt$hash` (its base64 may hold `+` and `/`) is one too.
    ("password_hash", {"exact": ("$md5", "$1$", "$2a$", "$2b$", "$2x$", "$2y$", "$3$$", "$5$", "$6$", "$7$", "$y$",
                                 "$gy$", "$sha1$", "$argon2", "$scrypt$", "$pbkdf2")},
     r"\$(?:md5|1|2[abxy]|3|5|6|7|y|gy|sha1|argon2(?:i|d|id)|scrypt|pbkdf2(?:-sha\d{1,3})?)(?=[$,])"
     r"[./+A-Za-z0-9$,=]{13,300}", 0,
     "https://man7.org/linux/man-pages/man5/crypt.5.html"),
    # Werkzeug's (Flask's) `method$salt$hash`: `pbkdf2:sha256:600000$<salt>$<hex>`, `scrypt:32768:8:1$<salt>$<hex>`.
    ("werkzeug_password_hash", {"exact": ("pbkdf2:", "scrypt:")},
     r"(?<![A-Za-z0-9])(?:pbkdf2:sha(?:1|224|256|384|512)(?::\d{1,7})?|scrypt(?::\d{1,7}){0,3})\$[A-Za-z0-9]{1,64}"
     r"\$[0-9a-f]{20,256}", 0,
     "https://werkzeug.palletsprojects.com/en/stable/utils/#werkzeug.security.generate_password_hash"),
    ("azure_sas_signature", {"exact": ("sig=",)}, r"[?&]sig=([A-Za-z0-9%+/=]{20,200})", 1,
     "https://learn.microsoft.com/en-us/rest/api/storageservices/create-service-sas#specify-the-signature"),
    ("azure_client_secret", {"exact": ("8Q~",), "long": True}, r"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{31,34}", 0,
     "https://learn.microsoft.com/en-us/entra/identity-platform/how-to-add-credentials"),
    ("braintree_token", {"exact": ("access_token$",), "long": True}, r"access_token\$(?:production|sandbox)\$[a-z0-9]{16}\$[a-f0-9]{32}", 0,
     "https://developer.paypal.com/braintree/docs/guides/client-sdk/setup"),
    ("okta_token", {"exact": ("SSWS",), "long": True}, r"SSWS\s{1,4}([A-Za-z0-9_-]{40,42})", 1,
     "https://developer.okta.com/docs/guides/create-an-api-token/main/"),
    ("twitch_token", {"exact": ("oauth:",), "long": True}, r"oauth:([a-z0-9]{30})(?![A-Za-z0-9])", 1,
     "https://dev.twitch.tv/docs/irc/authenticate-bot/"),
    ("firebase_server_key", {"exact": ("AAAA",), "long": True}, r"(?<![A-Za-z0-9_-])AAAA[A-Za-z0-9_-]{7}:[A-Za-z0-9_-]{140}", 0,
     "https://firebase.google.com/docs/cloud-messaging/auth-server"),
    ("mailchimp_key", {"exact": ("-us",), "long": True}, r"(?<![A-Za-z0-9])[0-9a-f]{32}-us[0-9]{1,2}(?![A-Za-z0-9])", 0,
     "https://mailchimp.com/developer/marketing/guides/quick-start/#generate-your-api-key"),
    ("auth_header", {"lower": ("bearer", "basic")},
     r"(?i:\b(?:bearer|basic))\s{1,8}" + _NOT_OURS + r"([A-Za-z0-9._~+/-]{8,4096}={0,2})", 1,
     "https://datatracker.ietf.org/doc/html/rfc6750#section-2.1"),
    # The value of an Authorization header under any scheme (RFC 9110's `credentials = auth-scheme [ token68 ]`):
    # Splunk's `Splunk <token>`, `Token`, `ApiKey`, `SSWS`, `GenieKey`. A machine value holds a digit; prose after
    # the word (`Authorization: Required credentials missing`) does not. A value with `=` and then `@` or `!` is one
    # credential to its end: Proxmox's `PVEAPIToken=user@realm!tokenid=<uuid>`.
    ("auth_header", {"lower": ("authorization",)},
     r"(?i:\bauthorization)[\"']?\s{0,4}[:=]\s{0,4}[\"']?(?:[A-Za-z][A-Za-z0-9_-]{0,40}\s{1,4})?" + _NOT_OURS
     + r"(?=[^\s\"',;]{0,200}\d)([A-Za-z0-9._~+/:-]{1,200}=[A-Za-z0-9._~+/:=-]{0,400}[@!][A-Za-z0-9._~+/:@!=-]{1,4096}"
     r"|[A-Za-z0-9._~+/:-]{8,4096}={0,2})", 1,
     "https://www.rfc-editor.org/rfc/rfc9110#section-11.6.2"),
    # Passwords in URLs: basic-auth URLs and database/queue connection strings (`postgresql://u:p@h`,
    # `redis://:p@h`, `mongodb+srv://u:p@h`).
    ("url_password", {"exact": ("@",)}, r"://[^/\s:@<]{0,64}:" + _NOT_OURS + r"([^/\s@]{1,128})@", 1,
     "https://datatracker.ietf.org/doc/html/rfc3986#section-3.2.1"),
    # Excalidraw's shared-room link carries the room's end-to-end encryption key after the room id, in the fragment:
    # `#room=<20 hex>,<22 base64url>` (the room id stays: it opens nothing without the key).
    ("link_key", {"exact": ("#room=",)}, r"#room=[0-9a-f]{20}," + _NOT_OURS + r"([A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])", 1,
     "https://github.com/excalidraw/excalidraw/blob/master/excalidraw-app/data/index.ts"),
    # Passwords on a command line: sshpass's -p, and the MySQL clients' -p written against its value.
    ("cli_password", {"exact": ("sshpass",)}, r"sshpass\s{1,4}-p\s{0,4}" + _NOT_OURS + r"['\"]?([^\s'\"]{1,128})", 1,
     "https://manpages.debian.org/stable/sshpass/sshpass.1.en.html"),
    ("cli_password", {"lower": ("mysql", "mariadb")}, r"(?<!\S)-p" + _NOT_OURS + r"['\"]?([^\s'\"]{1,128})", 1,
     "https://dev.mysql.com/doc/refman/8.4/en/command-line-options.html"),
    # curl's `-u`/`--user user:password` (a WordPress application password is four-letter groups with spaces, quoted).
    ("cli_password", {"lower": ("curl",)},
     _CURL_USER + r"([\"'])[^\s:\"']{1,128}:" + _NOT_OURS + r"([^\"'\n]{1,256})\1", 2,
     "https://curl.se/docs/manpage.html#-u"),
    ("cli_password", {"lower": ("curl",)},
     _CURL_USER + r"[^\s:\"']{1,128}:" + _NOT_OURS + r"([^\s\"']{1,256})", 1,
     "https://curl.se/docs/manpage.html#-u"),
    # ... and the user before an empty password, where an API takes its key as the user (Stripe's, Conekta's
    # `curl -u key_…:`); a machine-made value only (12 characters or more, a digit among them), not a person's name.
    ("cli_password", {"lower": ("curl",)},
     _CURL_USER + r"[\"']?" + _NOT_OURS + r"(?=[^\s:\"']{0,127}\d)([^\s:\"']{12,128}):(?=[\s\"']|$)", 1,
     "https://docs.stripe.com/api/authentication"),
    # Honeycomb's API key travels in its own header, whose name says nothing of keys.
    ("credential", {"lower": ("x-honeycomb-team",)},
     r"(?i:x-honeycomb-team)" + NAME_TO_VALUE + _NOT_OURS + r"([A-Za-z0-9_]{22,128})", 1,
     "https://docs.honeycomb.io/api/"),
    # A session cookie is a login: `sessionid=`, `JSESSIONID=`, `PHPSESSID=`, `connect.sid=` with a long value
    # (ZooKeeper's `sessionid:0x...` is an identifier, written with a colon).
    ("session_cookie", {"lower": ("sessionid=", "session_id=", "sessid=", "connect.sid=", "_session=")},
     r"(?i:sessionid|session_id|sessid|connect\.sid|_session)=" + _NOT_OURS + f"({VALUE_CHARS}{{16,4096}})", 1,
     "https://datatracker.ietf.org/doc/html/rfc6265#section-8.4"),
    # ... and a cookie named just `sid` in a Cookie header (Frappe's session, Google's `SID`); elsewhere `sid=` is as
    # often an identifier (Twilio's, a Windows security id).
    ("session_cookie", {"lower": ("sid=",)},
     r"(?i:cookie:)[^\n:]{0,1024}?(?<![A-Za-z0-9_.-])(?i:sid)=" + _NOT_OURS + f"({VALUE_CHARS}{{16,4096}})", 1,
     "https://datatracker.ietf.org/doc/html/rfc6265#section-5.4"),
    ("credential", {"lower": ("pass", "pwd", "secret", "token", "key", "signature", "private")}, "", 1, ""),  # see below
    # Exchange API keys and secrets: 64 mixed-case alphanumerics (hex digests are not; see
    # the redactor), looked for where the line talks about keys or secrets.
    ("exchange_key", {"lower": ("key", "secret")}, r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])", 0,
     "https://developers.binance.com/docs/binance-spot-api-docs/rest-api/request-security"),
    # uuid-apikey's keys (AnythingLLM's and others' API keys): four groups of seven Crockford base32 capitals, a UUID
    # re-encoded; taken with both a digit and a letter in it, where the line talks about keys (and holds two such
    # groups: the pre-check spares the lookaheads on every other line with `key` in it).
    ("uuid_apikey", {"lower": ("key",), "pre": r"[0-9A-HJKMNP-TV-Z]{7}-[0-9A-HJKMNP-TV-Z]{7}-"},
     r"(?<![A-Za-z0-9-])(?=[A-Z-]{0,30}[0-9])(?=[0-9-]{0,30}[A-Z])[0-9A-HJKMNP-TV-Z]{7}(?:-[0-9A-HJKMNP-TV-Z]{7}){3}"
     r"(?![A-Za-z0-9-])", 0, "https://www.npmjs.com/package/uuid-apikey"),
    # An address needs `@domain.tld`: the pre-check skips `Election@774` and `user@host` cheaply.
    ("email", {"exact": ("@",), "pre": r"@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2}"},
     r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b", 0,
     "https://datatracker.ietf.org/doc/html/rfc5321#section-4.5.3.1"),
)

# Credentials by name: `password=...`, `"api_key": "..."`, `X-Api-Key: ...`, `client_secret=...`.
# Each keyword is found with str.find in the lowercased line (it may end a longer
# name: db_password, x-mbx-apikey), then the rest is matched anchored right after it.
_VALUE = NAME_TO_VALUE + _NOT_OURS + f"({VALUE_CHARS}{{4,4096}})"
# Machine-made values (tokens, keys, signatures) are long; a short word after `token:` is prose
# ("cannot fetch token: Post https://...", ".../oauth2/token: x509: failed ...") and is evidence.
# A short value is still a credential when the line's structure says so: `token=ab12cd`, a quoted
# value (`"token": "ab12cd"`, `secret = 'hunter2'`). The first branch's lookahead is a fixed 8
# characters: linear time.
_MACHINE_LEAD = (NAME_TO_VALUE + _NOT_OURS + f"(?={VALUE_CHARS}{{8}})"
                 + r"|=" + _NOT_OURS + r"|[\"']?\s{0,8}" + _ASSIGN + r"\s{0,8}[\"']" + _NOT_OURS)
_MACHINE_VALUE = f"(?:{_MACHINE_LEAD})({VALUE_CHARS}{{4,4096}})"
# A UUID right after the word `token`, with no `=` or `:`: npm's legacy tokens and Heroku's API keys are
# UUIDs ("token d2696008-d03b-... is a legacy token"); a UUID elsewhere is an identifier and stays.
_UUID_AFTER_WORD = r"\s{1,2}(?=[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}(?![\w-]))"
# What may follow the keyword before its value: `password`, `secret_key`, `token_value`. `PWD=/home/deploy` is a
# working directory (sudo's log, an environment dump), not a password.
_NAME_ENDINGS: dict[str, str] = {
    "pass": r"(?i:word|wd)?",
    "pwd": "(?!" + NAME_TO_VALUE + "[/~])",
    "secret": r"(?i:[_-]?(?:key|id|value))?",
    "token": r"(?i:[_-]?(?:id|value))?",
    "key": r"(?i:[_-]?(?:id|value))?",
    "signature": "",
    # an id named private is the secret half of a public one (Tailscale's logtail `PrivateID`, whose `PublicID` is
    # its hash): only with `id` after it, so `private_ip` and `private network` stay
    "private": r"(?i:[_-]?id)",
}
CREDENTIAL_AFTER: dict[str, str] = {
    "pass": _NAME_ENDINGS["pass"] + _VALUE,
    "pwd": _NAME_ENDINGS["pwd"] + _VALUE,
    "secret": _NAME_ENDINGS["secret"] + _MACHINE_VALUE,
    "token": _NAME_ENDINGS["token"] + f"(?:{_MACHINE_LEAD}|{_UUID_AFTER_WORD})({VALUE_CHARS}{{4,4096}})",
    "key": _NAME_ENDINGS["key"] + _MACHINE_VALUE,
    "signature": _NAME_ENDINGS["signature"] + _MACHINE_VALUE,
    "private": _NAME_ENDINGS["private"] + _MACHINE_VALUE,
}
# The same names before a value that holds the punctuation the rules above stop at (a generated password,
# `CLIENT_SECRET=HhZ,QACc-s&B?…`): matched up to where the value starts; the redactor decides how far it runs.
PUNCTUATED_MAX = 512  # a generated password is far shorter; every scan of such a value stops here
PUNCTUATED_AFTER: dict[str, str] = {
    word: ending + NAME_TO_VALUE + _NOT_OURS
    + f"(?={VALUE_CHARS}{{0,{PUNCTUATED_MAX}}}[{VALUE_STOPS}])"
    for word, ending in _NAME_ENDINGS.items()
}

# Off by default: addresses and account ids help a diagnosis more than they leak.
OPTIONAL_RULES: dict[str, tuple[str, int]] = {
    "ipv4": (r"\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b", 0),
    "ipv6": (r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}(?::|[0-9A-Fa-f]{1,4})(?![\w:])", 0),
    "aws_account_id": (r"(?<!\d)(\d{12})(?!\d)", 1),
}
