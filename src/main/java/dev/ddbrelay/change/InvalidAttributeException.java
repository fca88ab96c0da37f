package dev.ddbrelay.change;

/** An attribute value that is not well-formed DynamoDB JSON. The message names the attribute. */
public class InvalidAttributeException extends IllegalArgumentException {

    public InvalidAttributeException(String message) {
        super(message);
    }
}
