/* SPDX-License-Identifier: MIT */
/* What the hand-written parts need to know of each profile's generated
 * grammar: which entry is which, and the rule ids they name. */
#include "ag_http_grammar.h"
#include "ag_sip_grammar.h"
#include "internal.h"

const ag_prof *ag_prof_of(ag_profile profile)
{
    static const ag_prof sip = {
        &ag_sip_grammar,
        AG_SIP_ENTRY_VALUE, AG_SIP_ENTRY_HEADER, AG_SIP_ENTRY_UTF8, AG_SIP_ENTRY_QOP_VALUE,
        AG_SIP_ENTRY_SCHEME, AG_SIP_ENTRY_AUTH_PARAM, AG_SIP_ENTRY_URI, AG_SIP_ENTRY_PARAM_NAME,
        AG_SIP_ENTRY_TOKEN, -1,
        AG_SIP_ENTRY_CRED_VALUE, AG_SIP_ENTRY_CRED_HEADER,
        AG_SIP_GROUP_DIGEST_CLN, AG_SIP_GROUP_DIG_RESP,
        AG_SIP_RULE_REGISTERED_ALGORITHM, AG_SIP_RULE_REGISTERED_QOP, AG_SIP_RULE_REGISTERED_SCHEME,
        AG_SIP_LITS_REGISTERED_SCHEME,
        AG_SIP_RULE_LWS,
        ag_sip_quote_class,
    };
    static const ag_prof http = {
        &ag_http_grammar,
        AG_HTTP_ENTRY_VALUE, AG_HTTP_ENTRY_HEADER, AG_HTTP_ENTRY_UTF8, AG_HTTP_ENTRY_QOP_VALUE,
        AG_HTTP_ENTRY_SCHEME, AG_HTTP_ENTRY_AUTH_PARAM, AG_HTTP_ENTRY_URI, AG_HTTP_ENTRY_PARAM_NAME,
        AG_HTTP_ENTRY_TOKEN, AG_HTTP_ENTRY_TOKEN68,
        AG_HTTP_ENTRY_CRED_VALUE, AG_HTTP_ENTRY_CRED_HEADER,
        AG_HTTP_GROUP_DIGEST_PARAM, AG_HTTP_GROUP_DIGEST_CRED,
        AG_HTTP_RULE_REGISTERED_ALGORITHM, AG_HTTP_RULE_REGISTERED_QOP, AG_HTTP_RULE_REGISTERED_SCHEME,
        AG_HTTP_LITS_REGISTERED_SCHEME,
        AG_HTTP_RULE_OBS_FOLD,
        ag_http_quote_class,
    };
    return profile == AG_PROFILE_HTTP ? &http : &sip;
}
