package org.rollbook.sso.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Rollbook patron sign-in",
        description = "Patrons sign in with Clever or ClassLink. Register <public URL>/sso/<provider>/callback as the app's redirect URI.")
public @interface SsoConfiguration {

    @AttributeDefinition(name = "Public URL", description = "How patrons' browsers reach this server, e.g. https://library.example.org "
            + "(empty: http://127.0.0.1:<port>). Redirect URIs are built from it and must match the provider's app settings exactly.")
    String publicUrl() default "";

    @AttributeDefinition(name = "Sign in with Clever")
    boolean cleverEnabled() default false;

    @AttributeDefinition(name = "Clever client ID")
    String cleverClientId() default "";

    @AttributeDefinition(name = "Clever client secret", type = AttributeType.PASSWORD)
    String cleverClientSecret() default "";

    @AttributeDefinition(name = "Clever OAuth URL", description = "Host of /oauth/authorize and /oauth/tokens.")
    String cleverOauthUrl() default "https://clever.com";

    @AttributeDefinition(name = "Clever API URL", description = "Host of /v3.0/me.")
    String cleverApiUrl() default "https://api.clever.com";

    @AttributeDefinition(name = "Allow log-in with ClassLink")
    boolean classlinkAllow() default false;

    @AttributeDefinition(name = "ClassLink client ID")
    String classlinkClientId() default "";

    @AttributeDefinition(name = "ClassLink client secret", type = AttributeType.PASSWORD)
    String classlinkClientSecret() default "";

    @AttributeDefinition(name = "ClassLink LaunchPad URL", description = "Host of /oauth2/v2/auth and /oauth2/v2/token.")
    String classlinkLaunchpadUrl() default "https://launchpad.classlink.com";

    @AttributeDefinition(name = "ClassLink user-info URL", description = "Host of /v2/my/info.")
    String classlinkInfoUrl() default "https://nodeapi.classlink.com";

    @AttributeDefinition(name = "Session idle timeout (minutes)")
    int idleMinutes() default 30;
}
