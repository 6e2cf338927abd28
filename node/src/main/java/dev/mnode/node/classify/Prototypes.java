package dev.mnode.node.classify;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Short sentences that stand for each built-in class, the way memories of that class tend to
 * read; a class the user added is described by its name until it has memories of its own.
 * Immutable.
 */
final class Prototypes {
  private Prototypes() {}

  static final Map<String, List<String>> BUILT_IN =
      Map.of(
          "personal",
          List.of(
              "My family, my partner, my children, my parents and my friends.",
              "A birthday, an anniversary, a wedding or a visit from relatives.",
              "Hobbies and free time: books, music, sport, games, cooking for fun.",
              "Our pets, our home, the neighbours and moving house.",
              "Holidays, weekend trips and places I want to travel to.",
              "What I like and dislike in everyday life: food, coffee, gifts, parties.",
              "Things I do with my brother, my sister or my best friend.",
              "Learning a language or a craft in my spare time."),
          "work",
          List.of(
              "My job, my employer, my manager and my colleagues.",
              "A project at work: the roadmap, the deadline, the sprint and the release.",
              "A meeting, a standup, a one-to-one or a presentation to the team.",
              "A technical decision about code, services, databases, deployment or infrastructure.",
              "Customers, clients, vendors, contracts and the company's product.",
              "Hiring, interviews, performance reviews and career plans.",
              "How I like to write code, review changes and run the team's process.",
              "An incident in production, an on-call week or an outage."),
          "health",
          List.of(
              "A doctor, dentist, therapist or hospital appointment.",
              "An illness, a symptom, pain, an injury or a surgery.",
              "Medication, dosage, prescriptions and vaccines.",
              "Allergies, intolerances and a diet for medical reasons.",
              "Blood tests, blood pressure, heart rate and other test results.",
              "Exercise, running, training, steps and fitness goals.",
              "Sleep, stress, anxiety, mood and mental health.",
              "Pregnancy, eyesight, hearing, teeth and body weight."),
          "financial",
          List.of(
              "Money: income, salary, savings and the monthly budget.",
              "Bank accounts, credit cards, payments and transfers.",
              "Rent, the mortgage, loans and debts, and who owes whom.",
              "Taxes, the tax return, receipts and the accountant.",
              "Investments: shares, funds, ETFs, pension and the portfolio.",
              "Bills, subscriptions, insurance premiums and what things cost.",
              "Invoices, refunds, fines and amounts in euros, dollars or pounds.",
              "Saving up to buy something, and spending limits."),
          "other",
          List.of(
              "How answers should be written: short, with sources, in tables, in a given tone.",
              "Preferred units, date format, time zone, spelling and language of replies.",
              "A general fact about the world, history, science or geography.",
              "Something looked up out of curiosity, a definition or a translation.",
              "A keyboard shortcut, an app setting or a browser preference.",
              "Opening hours, public transport, local services and errands.",
              "A note or reminder that fits no other category."));

  /** The sentences that describe {@code memoryClass}: its built-in ones, or its name. */
  static List<String> of(String memoryClass) {
    List<String> builtIn = BUILT_IN.get(memoryClass);
    if (builtIn != null) {
      return builtIn;
    }
    String words = memoryClass.replace('-', ' ').toLowerCase(Locale.ROOT);
    return List.of(words, "Notes about " + words + ".");
  }
}
