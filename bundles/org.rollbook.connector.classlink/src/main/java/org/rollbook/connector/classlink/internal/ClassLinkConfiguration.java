package org.rollbook.connector.classlink.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Rollbook ClassLink connector",
        description = "The ClassLink tenant to read, its roster server URL and the app's credentials.")
public @interface ClassLinkConfiguration {

    @AttributeDefinition(name = "Tenant ID", description = "The ClassLink tenant (district) this connection reads.")
    String tenantId();

    @AttributeDefinition(name = "Roster server URL",
            description = "The OneRoster endpoint from the ClassLink Partner Portal, e.g. https://district-ca-v2.oneroster.com/ims/oneroster/v1p1")
    String rosterServerUrl();

    @AttributeDefinition(name = "Consumer key", description = "OAuth 1.0a key (request signing, HMAC-SHA256).", required = false)
    String consumerKey() default "";

    @AttributeDefinition(name = "Consumer secret", type = AttributeType.PASSWORD, required = false)
    String consumerSecret() default "";

    @AttributeDefinition(name = "Client ID", description = "OAuth 2 client credentials instead of the consumer key (needs the token URL).", required = false)
    String clientId() default "";

    @AttributeDefinition(name = "Client secret", type = AttributeType.PASSWORD, required = false)
    String clientSecret() default "";

    @AttributeDefinition(name = "Token URL", description = "OAuth 2 token endpoint (client credentials).", required = false)
    String tokenUrl() default "";

    @AttributeDefinition(name = "OneRoster version", options = {@Option(label = "1.1", value = "v1p1"), @Option(label = "1.2", value = "v1p2")},
            description = "v1p1 (ClassLink today) or v1p2 when the tenant serves /ims/oneroster/rostering/v1p2 (OAuth 2 only).")
    String version() default "v1p1";

    @AttributeDefinition(name = "Page size", description = "Records per request, 1 to 10000.")
    int pageSize() default 1000;

    @AttributeDefinition(name = "Delta overlap (minutes)", description = "Incremental syncs re-read this much before the last run's start.")
    int deltaOverlapMinutes() default 10;

    @AttributeDefinition(name = "Homeroom", description = "Read homeroom classes and student enrollments for the Location field "
            + "(two more collections per sync, and a student → class map in memory).")
    boolean homeroom() default false;
}
