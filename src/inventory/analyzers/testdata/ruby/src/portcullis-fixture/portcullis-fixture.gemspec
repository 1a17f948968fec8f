Gem::Specification.new do |spec|
  spec.name = "portcullis-fixture"
  spec.version = "0.4.1"
  spec.summary = "Portcullis test fixture gem"
  spec.authors = ["Portcullis fixture authors"]
  spec.licenses = ["MIT", "Apache-2.0"]
  spec.files = ["lib/portcullis_fixture.rb"]
  spec.add_dependency "rake", ">= 13"
end
