package org.rollbook.connector.clever.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Rollbook Clever connector", description = "The Clever district to read and how to reach Clever.")
public @interface CleverConfiguration {

    @AttributeDefinition(name = "District ID", description = "The 24-character Clever district ID, or the Instant Login link that contains it.")
    String district();

    @AttributeDefinition(name = "Client ID", description = "Your Clever app's client ID (with the secret, used to fetch the district token).", required = false)
    String clientId() default "";

    @AttributeDefinition(name = "Client secret", type = AttributeType.PASSWORD, required = false)
    String clientSecret() default "";

    @AttributeDefinition(name = "District token", type = AttributeType.PASSWORD, required = false,
            description = "A district bearer token, instead of client ID and secret.")
    String districtToken() default "";

    @AttributeDefinition(name = "API URL", description = "Clever's Data API host (no version).")
    String apiUrl() default "https://api.clever.com";

    @AttributeDefinition(name = "OAuth URL", description = "Clever's OAuth host.")
    String oauthUrl() default "https://clever.com";

    @AttributeDefinition(name = "Page size", description = "Users per request, 1 to 10000.")
    int pageSize() default 10000;

    @AttributeDefinition(name = "Cursor age limit (days)", description = "An events cursor older than this is not trusted (Clever keeps events 30 days): the whole roster is read instead.")
    int cursorMaxAgeDays() default 25;
}
