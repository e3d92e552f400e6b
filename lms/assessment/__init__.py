"""Assessment: quizzes, pre/post-tests and case analyses."""
