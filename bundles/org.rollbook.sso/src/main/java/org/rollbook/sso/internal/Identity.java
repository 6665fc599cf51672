package org.rollbook.sso.internal;

/** Who the provider says signed in: the provider, the district or tenant, and the user's roster id (the patron's GUID). */
record Identity(String provider, String account, String userId, String role) {
}
