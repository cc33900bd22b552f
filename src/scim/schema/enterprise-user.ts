import { defineAttribute } from "./defaults.ts";
import type { SchemaDefinition } from "./types.ts";
import { enterpriseUserUrn } from "./urns.ts";

// RFC 7643 §4.3 and §8.7.1: the Enterprise User extension to the User resource type.
export const enterpriseUserSchema: SchemaDefinition = {
  id: enterpriseUserUrn,
  name: "EnterpriseUser",
  description: "Enterprise User",
  attributes: [
    defineAttribute({
      name: "employeeNumber",
      description:
        "Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.",
    }),
    defineAttribute({ name: "costCenter", description: "Identifies the name of a cost center." }),
    defineAttribute({ name: "organization", description: "Identifies the name of an organization." }),
    defineAttribute({ name: "division", description: "Identifies the name of a division." }),
    defineAttribute({ name: "department", description: "Identifies the name of a department." }),
    defineAttribute({
      name: "manager",
      type: "complex",
      description:
        "The User's manager. A complex type that optionally allows service providers to represent organizational hierarchy by referencing the 'id' attribute of another User.",
      subAttributes: [
        defineAttribute({
          name: "value",
          description: "The id of the SCIM resource representing the User's manager. REQUIRED.",
        }),
        // RFC 7643 §8.7.1 declares it readWrite; here it is always the server's, built from value, so
        // a client cannot make it point elsewhere than value does.
        defineAttribute({
          name: "$ref",
          type: "reference",
          referenceTypes: ["User"],
          description: "The URI of the SCIM resource representing the User's manager. Set by the server from value.",
          mutability: "readOnly",
        }),
        defineAttribute({
          name: "displayName",
          description: "The displayName of the User's manager (else its userName), as it is now. OPTIONAL and READ-ONLY.",
          mutability: "readOnly",
        }),
      ],
    }),
  ],
};
