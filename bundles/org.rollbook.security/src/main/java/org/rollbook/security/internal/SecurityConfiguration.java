package org.rollbook.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Rollbook security", description = "Where the key file and the administrator's credentials live.")
public @interface SecurityConfiguration {

    @AttributeDefinition(name = "Directory", description = "Holds secret.key, admin.properties and cli.token, readable only by the "
            + "server's user; relative paths start at the server's working directory.")
    String directory() default "data/security";

    @AttributeDefinition(name = "Administrator", description = "The administrator's user name.")
    String user() default "admin";
}
